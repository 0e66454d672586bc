using System.ClientModel;
using System.Diagnostics;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Features.Llm;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace Dev2Prod.Worker.Features.Llm;

/// <summary>What the consumer does with a job's stream entry after an attempt.</summary>
public enum JobOutcome
{
    /// <summary>Answered, refused (quota, budget) or nothing left to do: acknowledge.</summary>
    Done,

    /// <summary>Failed for a reason that may pass: add again with the next attempt number and back-off.</summary>
    Retry,

    /// <summary>Failed for the last time; the user got an apology: acknowledge and keep a copy in the dead letters.</summary>
    DeadLetter,

    /// <summary>Another consumer is answering the same question right now: leave it pending.</summary>
    Busy,
}

/// <summary>
/// Answers one question: finds it by update id, checks quotas and the budget, builds the grounded prompt,
/// calls the model, records usage and cost, and queues the reply in the outbox under the job's deduplication
/// key (so a job retried after its reply was queued never sends it twice). One DI scope per job.
/// </summary>
public sealed partial class LlmAnswerer(
    BotDbContext db,
    OutboxWriter outbox,
    OutboxSignal outboxSignal,
    LlmChatClientFactory clients,
    LlmPromptBuilder prompts,
    LlmQuota quota,
    LlmMetrics metrics,
    FaqKnowledgeBase knowledge,
    IConnectionMultiplexer redis,
    IServiceProvider services,
    IOptionsMonitor<LlmOptions> options,
    TimeProvider time,
    ILogger<LlmAnswerer> logger)
{
    public const string UnavailableHandoffCallback = "handoff:request:" + EscalationReasons.LlmUnavailable;
    public const string CannotHelpHandoffCallback = "handoff:request:" + EscalationReasons.LlmCannotHelp;
    public const string FaqMenuCallback = "faq:menu";

    // A job is queued inside the update's transaction, so a fast Worker can see it before the commit.
    private static readonly TimeSpan CommitWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan OrphanAfter = TimeSpan.FromMinutes(2);

    public async Task<JobOutcome> AnswerAsync(LlmJob job, int attempt, CancellationToken ct)
    {
        if (await ReplyQueuedAsync(job.ReplyKey, ct))
        {
            return JobOutcome.Done;
        }

        var question = await FindQuestionAsync(job.UpdateId, ct);
        if (question?.Conversation is not { } conversation)
        {
            if (time.GetUtcNow() - job.EnqueuedAt > OrphanAfter)
            {
                LogOrphan(logger, job.UpdateId);
                return JobOutcome.Done;
            }

            return JobOutcome.Retry;
        }

        if (conversation.Status is ConversationStatus.WaitingForAgent or ConversationStatus.Claimed)
        {
            LogWithAgent(logger, conversation.Id);
            return JobOutcome.Done;
        }

        var current = options.CurrentValue;
        var lockKey = $"dev2prod:llm:lock:{job.UpdateId}";
        if (!await redis.GetDatabase().StringSetAsync(lockKey, Environment.ProcessId, current.ClaimTimeout, When.NotExists))
        {
            return JobOutcome.Busy;
        }

        try
        {
            if (!current.HasApiKey)
            {
                await AnswerFromKnowledgeAsync(job, conversation, ct);
                return JobOutcome.Done;
            }

            return await AnswerWithModelAsync(job, attempt, conversation, current, ct);
        }
        finally
        {
            await redis.GetDatabase().KeyDeleteAsync(lockKey);
        }
    }

    private async Task<JobOutcome> AnswerWithModelAsync(LlmJob job, int attempt, Conversation conversation, LlmOptions current, CancellationToken ct)
    {
        var grounding = knowledge.Classifier.MostSimilarEntries(job.Question, current.KnowledgeEntries).Select(e => e.Entry).ToList();
        var history = await HistoryAsync(conversation.Id, job.UpdateId, current.HistoryMessages, ct);
        var prompt = prompts.Build(job.Question, grounding, history, current.PromptTokenBudget);
        var model = current.Model;
        var price = current.PriceOf(model);

        // Upper bound: the prompt as counted (+10% for tokenizer differences) and a full-length answer.
        var estimate = price.Cost((long)Math.Ceiling(prompt.InputTokens * 1.1) + 16, current.MaxTokens);
        var decision = await quota.ReserveAsync(job.UpdateId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            conversation.Id, job.TelegramUserId, estimate);
        if (decision != QuotaDecision.Reserved)
        {
            var outcome = decision == QuotaDecision.BudgetExceeded ? LlmOutcomes.RejectedBudget : LlmOutcomes.RejectedQuota;
            metrics.Request(model, outcome);
            await ReplyAsync(job, conversation, RejectionText(decision), Alternatives(), usage: Usage(job, conversation, model, 0, 0, 0, TimeSpan.Zero, outcome), ct);
            return JobOutcome.Done;
        }

        using var activity = LlmMetrics.ActivitySource.StartActivity("llm.answer", ActivityKind.Client,
            ActivityContext.TryParse(job.TraceParent, null, out var parent) ? parent : default);
        activity?.SetTag("gen_ai.request.model", model);
        activity?.SetTag("llm.attempt", attempt);
        activity?.SetTag("llm.knowledge", string.Join(',', prompt.KnowledgeIds));

        var started = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            var client = clients.Create(out _);
            response = await client.GetResponseAsync(prompt.Messages, new ChatOptions
            {
                MaxOutputTokens = current.MaxTokens,
                Temperature = current.Temperature,
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var outcome = e is TimeoutRejectedException or OperationCanceledException or TimeoutException ? LlmOutcomes.Timeout : LlmOutcomes.Error;
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            metrics.Request(model, outcome);
            metrics.ResponseTime(model, elapsed);
            LogModelFailed(logger, job.UpdateId, attempt, DescribeFailure(e));
            var usage = Usage(job, conversation, model, 0, 0, 0, elapsed, outcome);
            if (attempt < current.MaxAttempts)
            {
                db.LlmUsages.Add(usage);
                await db.SaveChangesAsync(ct);
                return JobOutcome.Retry;
            }

            await quota.ReleaseAsync(job.UpdateId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await ReplyAsync(job, conversation,
                "Sorry, our AI assistant is not available right now and I couldn't answer your question. " +
                "A person from our team can help, or you can browse the answers to common questions.",
                Alternatives(), usage, ct);
            return JobOutcome.DeadLetter;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        var input = response.Usage?.InputTokenCount ?? prompt.InputTokens;
        var output = response.Usage?.OutputTokenCount ?? LlmPromptBuilder.CountTokens(response.Text);
        var cost = price.Cost(input, output);
        await quota.SettleAsync(job.UpdateId.ToString(System.Globalization.CultureInfo.InvariantCulture), cost);
        metrics.Request(model, LlmOutcomes.Success);
        metrics.ResponseTime(model, duration);
        metrics.Tokens(model, input + output);
        metrics.DailyCost(await quota.SpentTodayAsync());
        activity?.SetTag("gen_ai.usage.input_tokens", input);
        activity?.SetTag("gen_ai.usage.output_tokens", output);

        var text = response.Text ?? "";
        var wantsHuman = text.Contains(LlmPromptBuilder.HandoffMarker, StringComparison.Ordinal);
        text = text.Replace(LlmPromptBuilder.HandoffMarker, "", StringComparison.Ordinal).Trim();
        if (text.Length == 0)
        {
            text = wantsHuman
                ? "This is a question for our team. Let me bring in a person."
                : "Sorry, I don't have a good answer to that. A person from our team can help.";
        }

        var escalator = wantsHuman ? services.GetService<IConversationEscalator>() : null;
        IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons = wantsHuman && escalator is null
            ? [[OutboundButton.Callback("Talk to a human", CannotHelpHandoffCallback)]]
            : null;
        var replied = await ReplyAsync(job, conversation, text, buttons,
            Usage(job, conversation, model, input, output, cost, duration, LlmOutcomes.Success), ct, html: false);
        if (replied && escalator is not null)
        {
            await escalator.EscalateAsync(conversation.Id, EscalationReasons.LlmCannotHelp, ct);
        }

        return JobOutcome.Done;
    }

    /// <summary>No API key: the closest knowledge-base topics as buttons, said plainly, with a human on offer.</summary>
    private async Task AnswerFromKnowledgeAsync(LlmJob job, Conversation conversation, CancellationToken ct)
    {
        var matches = knowledge.Classifier.MostSimilarEntries(job.Question, 3).Select(m => m.Entry).ToList();
        var rows = matches.Select(e => (IReadOnlyList<OutboundButton>)[OutboundButton.Callback(e.Title, $"faq:t:{e.Id}")]).ToList();
        rows.Add([OutboundButton.Callback("Talk to a human", UnavailableHandoffCallback)]);
        var escalate = job.ConsecutiveFallbacks >= 2 ? services.GetService<IConversationEscalator>() : null;
        var replied = await ReplyAsync(job, conversation,
            "Our AI assistant is switched off at the moment, so I can't answer that myself. " +
            "These answers from our knowledge base are the closest to your question, or a person from our team can help:",
            rows, usage: null, ct);
        if (replied && escalate is not null)
        {
            await escalate.EscalateAsync(conversation.Id, EscalationReasons.RepeatedFallback, ct);
        }
    }

    /// <summary>
    /// Queues the reply (split for Telegram) and the usage row in one transaction. Returns false when the reply
    /// was already queued by an earlier attempt (the deduplication key exists): nothing is sent twice.
    /// </summary>
    private async Task<bool> ReplyAsync(LlmJob job, Conversation conversation, string text,
        IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons, LlmUsage? usage, CancellationToken ct, bool html = true)
    {
        var chunks = html ? [text] : TelegramChunks.EscapeAndSplit(text);
        var sender = usage?.Outcome == LlmOutcomes.Success ? SenderType.Llm : SenderType.Bot;
        for (var i = 0; i < chunks.Count; i++)
        {
            var last = i == chunks.Count - 1;
            outbox.SendText(job.ChatId, conversation, chunks[i], sender, new OutboundPayload { InlineKeyboard = last ? buttons : null },
                deduplicationKey: i == 0 ? job.ReplyKey : $"{job.ReplyKey}:{i + 1}");
        }

        if (usage is not null)
        {
            db.LlmUsages.Add(usage);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            LogAlreadyReplied(logger, job.UpdateId);
            return false;
        }

        await outboxSignal.NotifyAsync();
        return true;
    }

    private LlmUsage Usage(LlmJob job, Conversation conversation, string model, long input, long output, decimal cost, TimeSpan latency, string outcome) => new()
    {
        ConversationId = conversation.Id,
        TelegramUserId = job.TelegramUserId,
        Model = model,
        InputTokens = (int)Math.Min(int.MaxValue, input),
        OutputTokens = (int)Math.Min(int.MaxValue, output),
        CostUsd = cost,
        LatencyMs = (int)latency.TotalMilliseconds,
        Outcome = outcome,
        CreatedAt = time.GetUtcNow(),
    };

    private static string RejectionText(QuotaDecision decision) => decision switch
    {
        QuotaDecision.SessionQuotaExceeded =>
            "You've asked our AI assistant as many questions as it can answer in one conversation. " +
            "You can browse the answers to common questions, or talk to a person from our team.",
        QuotaDecision.UserQuotaExceeded =>
            "You've reached today's limit of questions for our AI assistant; it will be back tomorrow. " +
            "Meanwhile you can browse the answers to common questions, or talk to a person from our team.",
        _ =>
            "Our AI assistant has answered all the questions it can for today. " +
            "You can browse the answers to common questions, or talk to a person from our team.",
    };

    private static IReadOnlyList<IReadOnlyList<OutboundButton>> Alternatives() =>
    [
        [OutboundButton.Callback("📚 Browse questions & answers", FaqMenuCallback)],
        [OutboundButton.Callback("Talk to a human", UnavailableHandoffCallback)],
    ];

    private Task<bool> ReplyQueuedAsync(string key, CancellationToken ct) =>
        db.OutboundMessages.AnyAsync(m => m.DeduplicationKey == key, ct);

    private async Task<ConversationMessage?> FindQuestionAsync(long updateId, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + CommitWait;
        while (true)
        {
            var message = await db.Messages.Include(m => m.Conversation).AsTracking()
                .FirstOrDefaultAsync(m => m.TelegramUpdateId == updateId, ct);
            if (message is not null || time.GetUtcNow() > deadline)
            {
                return message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }

    private async Task<IReadOnlyList<PromptHistoryMessage>> HistoryAsync(long conversationId, long updateId, int count, CancellationToken ct)
    {
        var recent = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && !m.IsInternalNote && m.TelegramUpdateId != updateId)
            .Where(m => m.SenderType == SenderType.User || m.SenderType == SenderType.Llm || m.SenderType == SenderType.Bot)
            .OrderByDescending(m => m.Id)
            .Take(count)
            .Select(m => new { m.SenderType, m.Text })
            .ToListAsync(ct);
        recent.Reverse();
        return [.. recent.Select(m => new PromptHistoryMessage(m.SenderType, m.Text))];
    }

    private static string DescribeFailure(Exception e) => e switch
    {
        ClientResultException { Status: > 0 } c => $"HTTP {c.Status}",
        BrokenCircuitException => "circuit open",
        _ => e.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model call for update {UpdateId} failed on attempt {Attempt}: {Reason}")]
    private static partial void LogModelFailed(ILogger logger, long updateId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Question of update {UpdateId} was never committed; job dropped")]
    private static partial void LogOrphan(ILogger logger, long updateId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} is with an agent; the assistant stays quiet")]
    private static partial void LogWithAgent(ILogger logger, long conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply to update {UpdateId} was already queued; not sent again")]
    private static partial void LogAlreadyReplied(ILogger logger, long updateId);
}
