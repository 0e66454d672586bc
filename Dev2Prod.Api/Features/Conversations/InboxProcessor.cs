using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Observability;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>Wakes the inbox processors of this process as soon as the webhook or the poller recorded an update.</summary>
public sealed class InboxProcessorSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(timeout, cancellationToken);
        while (_signal.CurrentCount > 0)
        {
            await _signal.WaitAsync(0, cancellationToken);
        }
    }
}

/// <summary>
/// Handles recorded updates. Several loops per process, any number of processes: each claims the oldest
/// update whose chat has no earlier open update and no update in hand (so a chat's updates are handled in
/// order, one at a time),
/// with a lease that another processor takes over if this one dies. A failing update is retried with back-off;
/// after <see cref="MaxAttempts"/> it is parked as Failed and the user gets an apology instead of silence.
/// </summary>
public sealed partial class InboxProcessor(
    IServiceScopeFactory scopeFactory,
    InboxProcessorSignal signal,
    TimeProvider time,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    public const int MaxAttempts = 8;
    private const int Concurrency = 4;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => RunLoopAsync(stoppingToken)));

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await ClaimNextAsync(stoppingToken);
                failures = 0;
                if (claimed is null)
                {
                    await signal.WaitAsync(IdlePoll, stoppingToken);
                    continue;
                }

                await ProcessAsync(claimed, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5))));
                LogLoopFailure(logger, e.GetType().Name, delay.TotalSeconds, e);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<InboundUpdate?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = time.GetUtcNow();
        var claimed = await db.InboundUpdates.FromSql($"""
            WITH next AS (
                SELECT u.update_id FROM inbound_updates u
                WHERE (u.status = 'Pending' OR (u.status = 'Processing' AND u.locked_until < {now}))
                  AND u.next_attempt_at <= {now}
                  AND NOT EXISTS (
                      -- One update per chat at a time, in update_id order. An update that arrived late (Telegram
                      -- delivers over several connections) still waits while a later one of its chat is in hand.
                      SELECT 1 FROM inbound_updates p
                      WHERE p.chat_id = u.chat_id AND p.update_id <> u.update_id
                        AND ((p.update_id < u.update_id AND p.status IN ('Pending', 'Processing'))
                             OR (p.status = 'Processing' AND p.locked_until >= {now})))
                ORDER BY u.update_id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE inbound_updates i
            SET status = 'Processing', locked_until = {now + Lease}, attempts = i.attempts + 1
            FROM next WHERE i.update_id = next.update_id
            RETURNING i.*
            """).AsNoTracking().ToListAsync(cancellationToken);
        return claimed.FirstOrDefault();
    }

    private async Task ProcessAsync(InboundUpdate inbound, CancellationToken stoppingToken)
    {
        // A child of the webhook request that recorded the update: one update, one trace.
        using var activity = MessagingTracing.StartConsumer("inbox process", inbound.TraceParent);
        activity?.SetTag("telegram.update.id", inbound.UpdateId);
        activity?.SetTag("telegram.update.kind", inbound.Kind);
        activity?.SetTag("dev2prod.inbox.attempt", inbound.Attempts);
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UpdatePipeline>().HandleAsync(inbound, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease expires and the update is handled again (its transaction rolled back).
            throw;
        }
        catch (Exception e)
        {
            await RecordFailureAsync(inbound, e);
        }
    }

    private async Task RecordFailureAsync(InboundUpdate inbound, Exception error)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var errorType = error.GetType().Name;
        if (inbound.Attempts < MaxAttempts)
        {
            var retryIn = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, inbound.Attempts)));
            LogRetry(logger, inbound.UpdateId, inbound.Attempts, errorType, retryIn.TotalSeconds, error);
            var next = time.GetUtcNow() + retryIn;
            await db.InboundUpdates.Where(u => u.UpdateId == inbound.UpdateId).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.Status, InboxStatus.Pending)
                .SetProperty(u => u.NextAttemptAt, next)
                .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(u => u.LastError, errorType));
            return;
        }

        LogGaveUp(logger, inbound.UpdateId, inbound.Attempts, errorType, error);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.InboundUpdates.Where(u => u.UpdateId == inbound.UpdateId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Status, InboxStatus.Failed)
            .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(u => u.LastError, errorType));
        if (inbound.ChatId is > 0 and var chatId)
        {
            // Never leave a customer in silence: say something went wrong (without details).
            scope.ServiceProvider.GetRequiredService<OutboxWriter>().SendText(chatId, null,
                "Sorry, something went wrong on our side with your last message. Please send it again in a moment.",
                SenderType.Bot, deduplicationKey: $"inbox-failed:{inbound.UpdateId}");
            await db.SaveChangesAsync();
        }

        await transaction.CommitAsync();
        await scope.ServiceProvider.GetRequiredService<OutboxSignal>().NotifyAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox processor loop failed ({ErrorType}); retrying in {DelaySeconds} s")]
    private static partial void LogLoopFailure(ILogger logger, string errorType, double delaySeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update {UpdateId} failed on attempt {Attempt} ({ErrorType}); retrying in {RetrySeconds} s")]
    private static partial void LogRetry(ILogger logger, long updateId, int attempt, string errorType, double retrySeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Update {UpdateId} given up after {Attempts} attempts ({ErrorType}); the user was told")]
    private static partial void LogGaveUp(ILogger logger, long updateId, int attempts, string errorType, Exception exception);
}
