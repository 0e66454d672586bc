using System.Diagnostics;
using Dev2Prod.Core.Features.Llm;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeOpenAi;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Dev2Prod.IntegrationTests.Llm;

/// <summary>
/// LLM answers end to end: the Api and Worker in-process on real Postgres and Redis, the real OpenAI client
/// (through Microsoft.Extensions.AI) against a fake OpenAI-compatible server, the real Telegram.Bot client
/// against the fake Bot API.
/// </summary>
public sealed class LlmAnswersTests(StackFixture stack) : IAsyncLifetime
{
    private FakeOpenAiServer _model = null!;
    private GatewayHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _model = await FakeOpenAiServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _model.DisposeAsync();
    }

    private async Task<GatewayHost> StartAsync(Dictionary<string, string?>? extra = null, bool startWorker = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:BaseUrl"] = _model.BaseUrl,
            ["Llm:ApiKey"] = "test-key-1",
            ["Llm:HttpRetryDelay"] = "00:00:00.050",
            ["Llm:RetryDelay"] = "00:00:00.100",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        _host = await GatewayHost.StartAsync(stack, settings, startWorker);
        return _host;
    }

    /// <summary>"Ask our AI assistant", then the question: deterministic routing to the model whatever the classifier says.</summary>
    private static async Task AskAsync(GatewayHost host, long chatId, long updateId, string question)
    {
        await host.PostUpdateAsync(Updates.Callback(updateId, chatId, "llm:ask", messageId: 1));
        await host.PostUpdateAsync(Updates.Text(updateId + 1, chatId, question));
    }

    private static Task<RecordedCall> WaitForReplyAsync(GatewayHost host, long chatId, string contains) =>
        host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId
                                            && (c.Text("text") ?? "").Contains(contains, StringComparison.Ordinal), GatewayHost.Timeout);

    [Fact]
    public async Task AQuestionGetsAGroundedAnswerFromTheModel()
    {
        var host = await StartAsync();
        await AskAsync(host, 8001, 1_000, "Will you sign our NDA before we share the project details?");

        var reply = await WaitForReplyAsync(host, 8001, "Answer to: Will you sign our NDA");

        var request = Assert.Single(_model.Requests);
        var nda = await host.QueryAsync(db => db.FaqEntries.SingleAsync(e => e.Id == "nda", Ct));
        var system = request.Messages[0];
        Assert.Equal("system", system.Role);
        Assert.Contains("dev2production.tech", system.Content, StringComparison.Ordinal);
        Assert.Contains(nda.Title, system.Content, StringComparison.Ordinal);
        Assert.Equal("LongCat-Flash-Chat", request.Model);
        Assert.Equal("Bearer test-key-1", request.Authorization);
        Assert.Equal("html", reply.Text("parse_mode")?.ToLowerInvariant());

        var usage = await host.QueryAsync(db => db.LlmUsages.SingleAsync(Ct));
        Assert.Equal("success", usage.Outcome);
        Assert.Equal(100, usage.InputTokens);
        Assert.Equal(20, usage.OutputTokens);
        Assert.Equal((100 * 0.30m + 20 * 1.20m) / 1_000_000m, usage.CostUsd);
        Assert.NotNull(usage.ConversationId);
    }

    [Fact]
    public async Task AFallbackMessageGoesToTheModelAndTheTraceContinuesInTheWorker()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Dev2Prod.Api.Updates" || source.Name == LlmMetrics.ActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var host = await StartAsync();

        await host.PostUpdateAsync(Updates.Text(2_000, 8002, "zorblax quantum llama paperwork"));
        await WaitForReplyAsync(host, 8002, "Answer to: zorblax quantum llama paperwork");
        Assert.Contains(host.Telegram.CallsTo("sendChatAction"), c => c.ChatId == 8002);

        Activity? update = null, answer = null;
        for (var i = 0; i < 100 && answer is null; i++)
        {
            lock (spans)
            {
                answer = spans.FirstOrDefault(s => s.OperationName == "llm.answer");
                update = spans.FirstOrDefault(s => s.OperationName == "telegram.update" && s.GetTagItem("telegram.update_id") is 2_000L);
            }

            await Task.Delay(50, Ct);
        }

        Assert.NotNull(update);
        Assert.NotNull(answer);
        Assert.Equal(update.TraceId, answer.TraceId);
        Assert.Equal(update.SpanId, answer.ParentSpanId);
    }

    [Fact]
    public async Task TheEleventhQuestionOfASessionGetsTheQuotaMessage()
    {
        var host = await StartAsync();
        for (var i = 0; i < 10; i++)
        {
            await AskAsync(host, 8003, 3_000 + (i * 2), $"Question number {i}?");
            await WaitForReplyAsync(host, 8003, $"Answer to: Question number {i}?");
        }

        await AskAsync(host, 8003, 3_100, "Question number 11?");
        var refusal = await WaitForReplyAsync(host, 8003, "as many questions as it can answer in one conversation");

        Assert.Equal(10, _model.Requests.Count);
        Assert.Contains("faq:menu", refusal.Text("reply_markup"), StringComparison.Ordinal);
        Assert.Contains("handoff:request:llm_unavailable", refusal.Text("reply_markup"), StringComparison.Ordinal);
        var outcomes = await host.QueryAsync(db => db.LlmUsages.Select(u => u.Outcome).ToListAsync(Ct));
        Assert.Equal(10, outcomes.Count(o => o == "success"));
        Assert.Equal(1, outcomes.Count(o => o == "rejected_quota"));
    }

    [Fact]
    public async Task AHundredRacingReservationsNeverExceedTheDailyBudget()
    {
        var host = await StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.RedisConnectionString);
        await redis.GetDatabase().StringSetAsync(LlmQuota.BudgetOverrideKey, "0.05");
        var quota = host.WorkerServices.GetRequiredService<LlmQuota>();

        // 100 jobs of 100 users, each reserving $0.002 and settling at $0.0015: 25 fit the estimate.
        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await Task.Yield();
            var decision = await quota.ReserveAsync($"race-{i}", conversationId: 50_000 + i, telegramUserId: 60_000 + i, 0.002m);
            if (decision == QuotaDecision.Reserved)
            {
                await quota.SettleAsync($"race-{i}", 0.0015m);
            }

            return decision;
        }));

        var spent = await quota.SpentTodayAsync();
        Assert.True(spent <= 0.05m, $"spent {spent}");
        Assert.InRange(decisions.Count(d => d == QuotaDecision.Reserved), 25, 33);
        Assert.All(decisions, d => Assert.True(d is QuotaDecision.Reserved or QuotaDecision.BudgetExceeded));
        Assert.Equal(0.05m, await quota.DailyBudgetAsync());
    }

    [Fact]
    public async Task OverTheBudgetTheUserGetsAlternativesAndTheRejectionIsRecorded()
    {
        var host = await StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.RedisConnectionString);
        await redis.GetDatabase().StringSetAsync(LlmQuota.BudgetOverrideKey, "0");

        await AskAsync(host, 8004, 4_000, "What is your favourite colour?");
        await WaitForReplyAsync(host, 8004, "answered all the questions it can for today");

        Assert.Empty(_model.Requests);
        Assert.Equal("rejected_budget", await host.QueryAsync(db => db.LlmUsages.Select(u => u.Outcome).SingleAsync(Ct)));
    }

    [Fact]
    public async Task AJobOfAWorkerKilledMidCallIsFinishedByAnotherConsumerWithExactlyOneReply()
    {
        var host = await StartAsync(new() { ["Llm:ClaimTimeout"] = "00:00:02" });
        _model.Hold();
        await AskAsync(host, 8005, 5_000, "Can you rescue a half-finished project?");
        await _model.WaitForRequestsAsync(1, GatewayHost.Timeout);

        await host.StopWorkerAsync();
        _model.Release();
        await host.StartWorkerAsync();

        await WaitForReplyAsync(host, 8005, "Answer to: Can you rescue a half-finished project?");
        await host.WaitForOutboxDrainedAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), Ct); // a duplicate would be sent by now (claim timeout 2 s)

        Assert.Single(host.Telegram.CallsTo("sendMessage"), c => c.ChatId == 8005 && (c.Text("text") ?? "").StartsWith("Answer to:", StringComparison.Ordinal));
        Assert.Equal(2, _model.Requests.Count);
        Assert.Equal(1, await host.QueryAsync(db => db.LlmUsages.CountAsync(u => u.Outcome == "success", Ct)));
    }

    [Fact]
    public async Task TwoWorkersShareTheQueueAndEachQuestionIsAnsweredOnce()
    {
        var host = await StartAsync();
        await using var second = host.StartExtraWorker();
        for (var i = 0; i < 6; i++)
        {
            await AskAsync(host, 8100 + i, 6_000 + (i * 2), $"Shared question {i}?");
        }

        for (var i = 0; i < 6; i++)
        {
            await WaitForReplyAsync(host, 8100 + i, $"Answer to: Shared question {i}?");
        }

        await host.WaitForOutboxDrainedAsync();
        Assert.Equal(6, host.Telegram.CallsTo("sendMessage").Count(c => (c.Text("text") ?? "").StartsWith("Answer to: Shared", StringComparison.Ordinal)));
        Assert.Equal(6, _model.Requests.Count);
    }

    [Fact]
    public async Task AModelThatFailsWith500sAndRecoversAnswers()
    {
        var host = await StartAsync(new() { ["Llm:HttpRetries"] = "2" });
        _model.FailNext(2, 500);

        await AskAsync(host, 8006, 7_000, "Do you do code reviews?");
        await WaitForReplyAsync(host, 8006, "Answer to: Do you do code reviews?");

        Assert.Equal(3, _model.Requests.Count);
    }

    [Fact]
    public async Task AModelThatStaysDownGetsAnApologyWithAHumanAndTheJobIsDeadLettered()
    {
        var host = await StartAsync(new() { ["Llm:HttpRetries"] = "0", ["Llm:MaxAttempts"] = "2" });
        _model.FailAlwaysWith = 503;

        await AskAsync(host, 8007, 8_000, "What is the meaning of life?");
        var apology = await WaitForReplyAsync(host, 8007, "our AI assistant is not available right now");

        Assert.Contains("handoff:request:llm_unavailable", apology.Text("reply_markup"), StringComparison.Ordinal);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.RedisConnectionString);
        var dead = await redis.GetDatabase().StreamRangeAsync(LlmStreams.DeadLetter);
        var entry = Assert.Single(dead);
        Assert.Equal("8001", entry["update_id"].ToString());
        Assert.Equal(2, _model.Requests.Count);
        var outcomes = await host.QueryAsync(db => db.LlmUsages.Select(u => u.Outcome).ToListAsync(Ct));
        Assert.Equal(["error", "error"], outcomes);
        Assert.Equal(0m, await host.WorkerServices.GetRequiredService<LlmQuota>().SpentTodayAsync());
    }

    [Fact]
    public async Task AKeyChangedInConfigurationIsUsedByTheNextCall()
    {
        var host = await StartAsync();
        await AskAsync(host, 8008, 9_000, "First question?");
        await WaitForReplyAsync(host, 8008, "Answer to: First question?");

        host.WorkerRuntimeSettings.Change("Llm:ApiKey", "rotated-key-2");
        await AskAsync(host, 8008, 9_002, "Second question?");
        await WaitForReplyAsync(host, 8008, "Answer to: Second question?");

        Assert.Equal(["Bearer test-key-1", "Bearer rotated-key-2"], _model.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task ALongAnswerIsSplitIntoValidTelegramMessages()
    {
        var paragraph = "Our process has <five> steps & each one matters. " + string.Concat(Enumerable.Repeat("Details follow here. ", 60));
        var answer = string.Join("\n\n", Enumerable.Repeat(paragraph.Trim(), 8));
        _model.Responder = _ => new ChatCompletionReply(answer, 200, 900);
        var host = await StartAsync();

        await AskAsync(host, 8009, 10_000, "Describe your process in detail?");
        await WaitForReplyAsync(host, 8009, "Our process has &lt;five&gt; steps");
        await host.WaitForOutboxDrainedAsync();

        var parts = host.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == 8009 && (c.Text("text") ?? "").Contains("Our process", StringComparison.Ordinal)).ToList();
        Assert.True(parts.Count >= 3, $"{parts.Count} parts");
        Assert.All(parts, p => Assert.InRange(p.Text("text")!.Length, 1, 4096));
        var rejoined = string.Join(" ", parts.Select(p => TelegramChunks.Unescape(p.Text("text")!)));
        Assert.Equal(Normalise(answer), Normalise(rejoined));
        Assert.DoesNotContain(host.Telegram.CallsTo("sendMessage"), c => c.ChatId == 8009 && c.Text("text") is null);
    }

    [Fact]
    public async Task WithoutAKeyTheClosestKnowledgeBaseEntriesAndAHumanAreOffered()
    {
        var host = await StartAsync(new() { ["Llm:ApiKey"] = "" });

        await AskAsync(host, 8010, 11_000, "Do you sign NDAs before a project starts?");
        var reply = await WaitForReplyAsync(host, 8010, "AI assistant is switched off");

        Assert.Contains("faq:t:nda", reply.Text("reply_markup"), StringComparison.Ordinal);
        Assert.Contains("handoff:request:llm_unavailable", reply.Text("reply_markup"), StringComparison.Ordinal);
        Assert.Empty(_model.Requests);
        Assert.Contains(host.WorkerLogs.Entries, e => e.Message.Contains("Llm:ApiKey is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenTheModelSignalsThatAPersonIsNeededTheConversationIsEscalated()
    {
        _model.Responder = _ => new ChatCompletionReply("That needs a quote from our team.\n[[HANDOFF]]");
        var host = await StartAsync();

        await AskAsync(host, 8012, 13_000, "Can you give me a binding fixed price for my app today?");
        var reply = await WaitForReplyAsync(host, 8012, "That needs a quote from our team.");

        Assert.DoesNotContain("HANDOFF", reply.Text("text"), StringComparison.Ordinal);
        var deadline = DateTime.UtcNow + GatewayHost.Timeout;
        Dev2Prod.Core.Domain.Conversation conversation;
        do
        {
            await Task.Delay(100, Ct);
            conversation = await host.QueryAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.ChatId == 8012, Ct));
        }
        while (conversation.Status == Dev2Prod.Core.Domain.ConversationStatus.Bot && DateTime.UtcNow < deadline);

        Assert.Equal(Dev2Prod.Core.Domain.ConversationStatus.WaitingForAgent, conversation.Status);
        Assert.Equal("llm_cannot_help", conversation.EscalationReason);
    }

    [Fact]
    public async Task TheWorkerExposesTheLlmMetrics()
    {
        var host = await StartAsync();
        await AskAsync(host, 8011, 12_000, "Metrics question?");
        await WaitForReplyAsync(host, 8011, "Answer to: Metrics question?");

        string text = "";
        for (var i = 0; i < 50 && !text.Contains("llm_daily_cost_usd", StringComparison.Ordinal); i++)
        {
            using var client = host.WorkerHttp;
            text = await client.GetStringAsync("/metrics", Ct);
            await Task.Delay(100, Ct);
        }

        var names = text.Split('\n').Where(l => l.StartsWith("llm_", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOfAny(['{', ' '])]).Distinct().ToHashSet();
        Assert.Contains("llm_requests_total", names);
        Assert.Contains("llm_response_time_seconds_bucket", names);
        Assert.Contains("llm_tokens_used_total", names);
        Assert.Contains("llm_daily_cost_usd", names);
        Assert.Contains("llm_daily_budget_usd", names);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("llm_requests_total{", StringComparison.Ordinal)
                                               && l.Contains("status=\"success\"", StringComparison.Ordinal) && l.Contains("model=\"LongCat-Flash-Chat\"", StringComparison.Ordinal));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("llm_response_time_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"30\"", StringComparison.Ordinal));
    }

    private static string Normalise(string text) => string.Join(' ', text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
