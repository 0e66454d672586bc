using System.Diagnostics;
using System.Net.Sockets;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Dev2Prod.Core.Telegram.Outbox;

/// <summary>
/// Sends what the outbox holds, in order per chat, within Telegram's limits across all replicas. Claims rows
/// with a lease (FOR UPDATE SKIP LOCKED), so several senders share the work and a crashed sender's rows are
/// taken over when its lease ends. 429 waits for retry_after; 403 marks the user as having blocked the bot and
/// drops the message; other 4xx are logged and dropped; 5xx and network errors back off and retry.
/// </summary>
public sealed partial class OutboxSender(
    IServiceScopeFactory scopeFactory,
    ITelegramBotClient bot,
    TelegramRateGate rateGate,
    IConnectionMultiplexer redis,
    IOptionsMonitor<TelegramOptions> options,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<OutboxSender> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private const int BatchSize = 20;

    // The backlog gauge costs a COUNT; a few seconds of staleness is fine for a metric.
    private static readonly TimeSpan BacklogReportInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private DateTimeOffset _backlogReportedAt = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SubscribeToWakeUpsAsync();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await ClaimAsync(stoppingToken);
                await Task.WhenAll(claimed.Select(row => SendOneAsync(row, stoppingToken)));
                if (time.GetUtcNow() - _backlogReportedAt >= BacklogReportInterval)
                {
                    await ReportBacklogAsync(stoppingToken);
                }

                failures = 0;
                if (claimed.Count == 0)
                {
                    await WaitForWorkAsync(await NextDueInAsync(stoppingToken), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Database or Redis unreachable: back off, never let the loop die.
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5))));
                LogLoopFailure(logger, e.GetType().Name, delay.TotalSeconds, e);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SubscribeToWakeUpsAsync()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(OutboxSignal.Channel, (_, _) => _wake.Release());
        }
        catch (RedisException e)
        {
            LogNoWakeUps(logger, e.GetType().Name);
        }
    }

    private async Task WaitForWorkAsync(TimeSpan? nextDue, CancellationToken stoppingToken)
    {
        var wait = nextDue is { } due && due < IdlePoll ? due : IdlePoll;
        if (wait > TimeSpan.Zero)
        {
            await _wake.WaitAsync(wait, stoppingToken);
        }

        // Coalesce a burst of signals into one pass.
        while (_wake.CurrentCount > 0)
        {
            await _wake.WaitAsync(0, stoppingToken);
        }
    }

    private async Task<List<OutboundMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = time.GetUtcNow();

        // The head of each chat's queue only (an earlier open row of the same chat blocks later ones), so a
        // paced or retried message is never overtaken by the next one.
        return await db.OutboundMessages.FromSql($"""
            WITH next AS (
                SELECT o.id FROM outbound_messages o
                WHERE (o.status = 'Pending' OR (o.status = 'Sending' AND o.locked_until < {now}))
                  AND o.next_attempt_at <= {now}
                  AND NOT EXISTS (
                      SELECT 1 FROM outbound_messages p
                      WHERE p.chat_id = o.chat_id AND p.id < o.id AND p.status IN ('Pending', 'Sending'))
                ORDER BY o.id
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED)
            UPDATE outbound_messages m
            SET status = 'Sending', locked_until = {now + options.CurrentValue.Sending.ClaimLease}, attempts = m.attempts + 1
            FROM next WHERE m.id = next.id
            RETURNING m.*
            """).AsNoTracking().ToListAsync(cancellationToken);
    }

    private async Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var next = await db.OutboundMessages
            .Where(m => m.Status == OutboxStatus.Pending)
            .MinAsync(m => (DateTimeOffset?)m.NextAttemptAt, cancellationToken);
        return next is null ? null : next.Value - time.GetUtcNow();
    }

    private async Task ReportBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        metrics.SetOutboxPending(await db.OutboundMessages.CountAsync(m => m.Status == OutboxStatus.Pending || m.Status == OutboxStatus.Sending, cancellationToken));
        _backlogReportedAt = time.GetUtcNow();
    }

    private async Task SendOneAsync(OutboundMessage row, CancellationToken cancellationToken)
    {
        var wait = await rateGate.TryAcquireAsync(row.ChatId);
        if (wait > TimeSpan.Zero)
        {
            // Not our turn yet: back to the queue without counting an attempt.
            await RescheduleAsync(row, wait, countAttempt: false, error: null);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var sent = await CallTelegramAsync(row, cancellationToken);
            metrics.RecordTelegramCall(row.Method, "ok", Stopwatch.GetElapsedTime(started));
            await MarkSentAsync(row, sent);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 429)
        {
            metrics.RecordTelegramCall(row.Method, "429", Stopwatch.GetElapsedTime(started));
            var retryAfter = TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1));
            LogThrottled(logger, row.Id, retryAfter.TotalSeconds);
            await RescheduleAsync(row, retryAfter, countAttempt: false, "429");
        }
        catch (ApiRequestException e) when (e.ErrorCode == 403)
        {
            metrics.RecordTelegramCall(row.Method, "403", Stopwatch.GetElapsedTime(started));
            LogBlocked(logger, row.Id);
            await FinishAsync(row, OutboxStatus.Dropped, "403", markUserBlocked: row.ChatId > 0);
        }
        catch (ApiRequestException e) when (e.ErrorCode is >= 400 and < 500)
        {
            metrics.RecordTelegramCall(row.Method, e.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture), Stopwatch.GetElapsedTime(started));
            // Telegram's description says what was wrong with the request, not who it was for.
            LogRejected(logger, row.Id, row.Method, e.ErrorCode, e.Message);
            await FinishAsync(row, OutboxStatus.Failed, $"{e.ErrorCode}", markUserBlocked: false);
        }
        catch (Exception e) when (e is ApiRequestException or HttpRequestException or RequestException or SocketException or TaskCanceledException
                                      && !cancellationToken.IsCancellationRequested)
        {
            var code = e is ApiRequestException api ? api.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "network";
            metrics.RecordTelegramCall(row.Method, code, Stopwatch.GetElapsedTime(started));
            if (row.Attempts >= options.CurrentValue.Sending.MaxAttempts)
            {
                LogGaveUp(logger, row.Id, row.Attempts, e.GetType().Name);
                await FinishAsync(row, OutboxStatus.Failed, e.GetType().Name, markUserBlocked: false);
                return;
            }

            var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, row.Attempts - 1)));
            LogTransient(logger, row.Id, e.GetType().Name, backoff.TotalSeconds);
            await RescheduleAsync(row, backoff, countAttempt: true, e.GetType().Name);
        }
    }

    private async Task<Message?> CallTelegramAsync(OutboundMessage row, CancellationToken cancellationToken)
    {
        var payload = await ResolveConversationThreadAsync(row, OutboundPayload.FromJson(row.PayloadJson), cancellationToken);
        var parseMode = payload.ParseMode == "HTML" ? ParseMode.Html : ParseMode.None;
        ReplyMarkup? markup = BuildMarkup(payload);
        var chat = new ChatId(row.ChatId);
        var reply = payload.ReplyToMessageId is { } replyTo ? new ReplyParameters { MessageId = replyTo, AllowSendingWithoutReply = true } : null;

        switch (row.Method)
        {
            case OutboundMethods.SendMessage:
                return await bot.SendMessage(chat, payload.Text ?? "", parseMode, reply, markup,
                    linkPreviewOptions: new LinkPreviewOptions { IsDisabled = payload.DisableLinkPreview },
                    messageThreadId: payload.MessageThreadId, cancellationToken: cancellationToken);
            case OutboundMethods.EditMessageText:
                return await bot.EditMessageText(chat, payload.TargetMessageId!.Value, payload.Text ?? "", parseMode,
                    replyMarkup: markup as InlineKeyboardMarkup, linkPreviewOptions: new LinkPreviewOptions { IsDisabled = payload.DisableLinkPreview },
                    cancellationToken: cancellationToken);
            case OutboundMethods.EditMessageReplyMarkup:
                return await bot.EditMessageReplyMarkup(chat, payload.TargetMessageId!.Value, markup as InlineKeyboardMarkup, cancellationToken: cancellationToken);
            case OutboundMethods.SendDocument:
                return await bot.SendDocument(chat, InputFile.FromFileId(payload.FileId!), payload.Text, parseMode, reply, markup,
                    messageThreadId: payload.MessageThreadId, cancellationToken: cancellationToken);
            case OutboundMethods.SendPhoto:
                return await bot.SendPhoto(chat, InputFile.FromFileId(payload.FileId!), payload.Text, parseMode, reply, markup,
                    messageThreadId: payload.MessageThreadId, cancellationToken: cancellationToken);
            case OutboundMethods.CopyMessage:
                var copied = await bot.CopyMessage(chat, payload.FromChatId!.Value, payload.SourceMessageId!.Value, payload.Text,
                    payload.Text is null ? default : parseMode, replyParameters: reply, replyMarkup: markup,
                    messageThreadId: payload.MessageThreadId, cancellationToken: cancellationToken);
                return new Message { Id = copied.Id };
            case OutboundMethods.CreateForumTopic:
                var topic = await bot.CreateForumTopic(chat, payload.Text ?? "Conversation", cancellationToken: cancellationToken);
                await RecordConversationTopicAsync(row, topic.MessageThreadId);
                return null;
            case OutboundMethods.EditForumTopic:
                if (payload.MessageThreadId is { } thread)
                {
                    await bot.EditForumTopic(chat, thread, payload.Text, cancellationToken: cancellationToken);
                }

                return null;
            default:
                throw new InvalidOperationException($"Unknown outbox method {row.Method}");
        }
    }

    /// <summary>
    /// Rows queued before the conversation's topic or card existed (same transaction as the escalation) learn
    /// where to go now: rows of one chat are sent in order, so the topic or card is there by the time they are.
    /// </summary>
    private async Task<OutboundPayload> ResolveConversationThreadAsync(OutboundMessage row, OutboundPayload payload, CancellationToken cancellationToken)
    {
        if (!payload.InConversationThread || row.ConversationId is not { } conversationId)
        {
            return payload;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var place = await db.Conversations.Where(c => c.Id == conversationId)
            .Select(c => new { c.AgentTopicId, c.AgentCardMessageId }).SingleOrDefaultAsync(cancellationToken);
        return place?.AgentTopicId is { } topicId
            ? payload with { MessageThreadId = topicId }
            : place?.AgentCardMessageId is { } cardId && !payload.IsAgentCard && payload.ReplyToMessageId is null
                ? payload with { ReplyToMessageId = cardId }
                : payload;
    }

    private async Task RecordConversationTopicAsync(OutboundMessage row, int threadId)
    {
        if (row.ConversationId is not { } conversationId)
        {
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        await db.Conversations.Where(c => c.Id == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AgentTopicId, threadId), CancellationToken.None);
    }

    private static ReplyMarkup? BuildMarkup(OutboundPayload payload)
    {
        if (payload.InlineKeyboard is { Count: > 0 } rows)
        {
            return new InlineKeyboardMarkup(rows.Select(row => row.Select(button => button.Url is not null
                ? InlineKeyboardButton.WithUrl(button.Text, button.Url)
                : InlineKeyboardButton.WithCallbackData(button.Text, button.CallbackData ?? button.Text))));
        }

        if (payload.RequestContactButton is { } contactLabel)
        {
            return new ReplyKeyboardMarkup(KeyboardButton.WithRequestContact(contactLabel)) { OneTimeKeyboard = true, ResizeKeyboard = true };
        }

        return payload.RemoveReplyKeyboard ? new ReplyKeyboardRemove() : null;
    }

    private async Task MarkSentAsync(OutboundMessage row, Message? sent)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = time.GetUtcNow();
        await db.OutboundMessages.Where(m => m.Id == row.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Sent)
            .SetProperty(m => m.SentAt, now)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
        if (row.MessageId is { } messageId && sent is not null)
        {
            await db.Messages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.TelegramMessageId, sent.Id), CancellationToken.None);
        }

        if (sent is not null && row.ConversationId is { } conversationId && OutboundPayload.FromJson(row.PayloadJson).IsAgentCard)
        {
            await db.Conversations.Where(c => c.Id == conversationId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AgentCardMessageId, sent.Id), CancellationToken.None);
        }

        if (row.Method == OutboundMethods.SendMessage)
        {
            metrics.MessageProcessed(row.ChatId < 0 ? "group" : "bot");
        }
    }

    private async Task RescheduleAsync(OutboundMessage row, TimeSpan after, bool countAttempt, string? error)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var next = time.GetUtcNow() + after;
        var attempts = countAttempt ? row.Attempts : row.Attempts - 1;
        await db.OutboundMessages.Where(m => m.Id == row.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Pending)
            .SetProperty(m => m.NextAttemptAt, next)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(m => m.LastError, error), CancellationToken.None);
    }

    private async Task FinishAsync(OutboundMessage row, OutboxStatus status, string error, bool markUserBlocked)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        await db.OutboundMessages.Where(m => m.Id == row.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, status)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(m => m.LastError, error), CancellationToken.None);
        if (markUserBlocked)
        {
            await db.TelegramUsers.Where(u => u.Id == row.ChatId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsBlocked, true), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox sender loop failed ({ErrorType}); retrying in {DelaySeconds} s")]
    private static partial void LogLoopFailure(ILogger logger, string errorType, double delaySeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox wake-ups unavailable ({ErrorType}); polling only")]
    private static partial void LogNoWakeUps(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram throttled outbox message {OutboxId}; retrying in {RetryAfterSeconds} s")]
    private static partial void LogThrottled(ILogger logger, long outboxId, double retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox message {OutboxId} dropped: the user has blocked the bot")]
    private static partial void LogBlocked(ILogger logger, long outboxId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram rejected outbox message {OutboxId} ({Method}, {ErrorCode}: {Description}); dropped")]
    private static partial void LogRejected(ILogger logger, long outboxId, string method, int errorCode, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {OutboxId} failed ({ErrorType}); retrying in {BackoffSeconds} s")]
    private static partial void LogTransient(ILogger logger, long outboxId, string errorType, double backoffSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {OutboxId} given up after {Attempts} attempts ({ErrorType})")]
    private static partial void LogGaveUp(ILogger logger, long outboxId, int attempts, string errorType);
}

/// <summary>Runs the outbox sender when Telegram is enabled; with no bot token, says so once and sends nothing.</summary>
public sealed partial class OutboxSenderHost(IServiceProvider services, IOptions<TelegramOptions> options, ILogger<OutboxSenderHost> logger) : IHostedService
{
    private OutboxSender? _sender;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled)
        {
            LogDisabled(logger);
            return Task.CompletedTask;
        }

        _sender = ActivatorUtilities.CreateInstance<OutboxSender>(services);
        return _sender.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _sender?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram is disabled: Telegram:BotToken is not set. Outbox messages stay queued until a token is configured.")]
    private static partial void LogDisabled(ILogger logger);
}

public static class OutboxSenderRegistration
{
    /// <summary>The outbox sender (Telegram limits across replicas, retries, blocked users); see ADR 002.</summary>
    public static IHostApplicationBuilder AddOutboxSender(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TelegramRateGate>();
        builder.Services.AddHostedService<OutboxSenderHost>();
        builder.Services.AddHostedService<QueueRetention>();
        return builder;
    }
}
