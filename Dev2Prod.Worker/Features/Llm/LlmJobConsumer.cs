using Dev2Prod.Core.Data;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Features.Llm;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dev2Prod.Worker.Features.Llm;

/// <summary>
/// Consumes the LLM job stream as one consumer of the group <c>llm-workers</c>; every replica is its own
/// consumer, so replicas share the work. At-least-once: an entry is acknowledged only after its outcome is
/// stored; entries a stopped consumer left pending longer than <c>Llm:ClaimTimeout</c> are taken over with
/// XAUTOCLAIM. Each delivery is counted in Redis, so a job that keeps crashing its Worker still ends in the
/// dead-letter stream after <c>Llm:MaxAttempts</c>.
/// </summary>
public sealed partial class LlmJobConsumer(
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    LlmQuota quota,
    LlmMetrics metrics,
    FaqKnowledgeBase knowledge,
    IOptionsMonitor<LlmOptions> options,
    TimeProvider time,
    ILogger<LlmJobConsumer> logger) : BackgroundService
{
    private const string DeliveriesKey = "dev2prod:llm:deliveries";
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan GaugeRefresh = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KnowledgeRefresh = TimeSpan.FromSeconds(60);
    private DateTimeOffset _nextKnowledgeRefresh = DateTimeOffset.MinValue;
    private Task? _knowledgeReload;

    // Unique per instance (two Workers hosted in one process are two consumers), readable in XINFO CONSUMERS.
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly List<Task> _running = [];

    public string ConsumerName => _consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await EnsureGroupAsync(stoppingToken);
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(LlmStreams.Signal), (_, _) => Wake());
        var nextReclaim = DateTimeOffset.MinValue;
        var nextHousekeeping = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var current = options.CurrentValue;
                _running.RemoveAll(t => t.IsCompleted);
                var free = Math.Max(0, current.Concurrency - _running.Count);
                var now = time.GetUtcNow();
                if (now >= nextHousekeeping)
                {
                    nextHousekeeping = now + GaugeRefresh;
                    await HousekeepingAsync(stoppingToken);
                }

                var started = 0;
                if (free > 0 && now >= nextReclaim)
                {
                    nextReclaim = now + TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, current.ClaimTimeout.Ticks / 4));
                    var claimed = await redis.GetDatabase().StreamAutoClaimAsync(LlmStreams.Jobs, LlmStreams.Group, _consumer,
                        (long)current.ClaimTimeout.TotalMilliseconds, "0-0", free);
                    foreach (var entry in claimed.ClaimedEntries.Where(e => !e.IsNull))
                    {
                        LogReclaimed(logger, entry.Id.ToString());
                        Start(entry, stoppingToken);
                        started++;
                    }
                }

                free -= started;
                if (free > 0)
                {
                    var entries = await redis.GetDatabase().StreamReadGroupAsync(LlmStreams.Jobs, LlmStreams.Group, _consumer, ">", free);
                    foreach (var entry in entries)
                    {
                        Start(entry, stoppingToken);
                        started++;
                    }
                }

                if (started == 0)
                {
                    await WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Redis away or a bug in one pass: log, back off, keep consuming.
                LogLoopFailed(logger, e.GetType().Name, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await Task.WhenAll(_running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private void Start(StreamEntry entry, CancellationToken ct) => _running.Add(Task.Run(() => ProcessAsync(entry, ct), ct));

    private async Task WaitAsync(CancellationToken ct)
    {
        // A running job finishing frees a slot; a signal means a new job; otherwise poll (signals are best effort).
        var waits = _running.Where(t => !t.IsCompleted).Append(_wake.WaitAsync(IdlePoll, ct)).ToArray();
        await Task.WhenAny(waits);
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    private async Task ProcessAsync(StreamEntry entry, CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var id = entry.Id.ToString();
        try
        {
            var deliveries = await db.HashIncrementAsync(DeliveriesKey, id);
            var job = LlmJob.FromStreamFields(entry.Values);
            if (job is null)
            {
                LogMalformed(logger, id);
                await DeadLetterAsync(entry, "malformed", attempts: (int)deliveries);
                return;
            }

            var current = options.CurrentValue;
            var attempt = job.Attempt + (int)deliveries - 1;
            var wait = DateTimeOffset.FromUnixTimeMilliseconds(job.NotBeforeUnixMs) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct);
            }

            JobOutcome outcome;
            await using (var scope = scopes.CreateAsyncScope())
            {
                try
                {
                    outcome = await scope.ServiceProvider.GetRequiredService<LlmAnswerer>().AnswerAsync(job, attempt, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Postgres or Redis away mid-job: the job is retried like a failed model call.
                    LogJobFailed(logger, job.UpdateId, attempt, e.GetType().Name);
                    outcome = attempt >= current.MaxAttempts ? JobOutcome.DeadLetter : JobOutcome.Retry;
                }
            }

            switch (outcome)
            {
                case JobOutcome.Done:
                    await AcknowledgeAsync(id);
                    break;
                case JobOutcome.Retry:
                    var delay = current.RetryDelay * Math.Pow(2, Math.Min(attempt - 1, 8));
                    var tr = db.CreateTransaction();
                    _ = tr.StreamAddAsync(LlmStreams.Jobs, (job with
                    {
                        Attempt = attempt + 1,
                        NotBeforeUnixMs = (time.GetUtcNow() + delay).ToUnixTimeMilliseconds(),
                    }).ToStreamFields(), maxLength: LlmStreams.MaxLength, useApproximateMaxLength: true);
                    _ = tr.StreamAcknowledgeAsync(LlmStreams.Jobs, LlmStreams.Group, id);
                    _ = tr.HashDeleteAsync(DeliveriesKey, id);
                    await tr.ExecuteAsync();
                    break;
                case JobOutcome.DeadLetter:
                    await DeadLetterAsync(entry, "failed", attempt);
                    break;
                case JobOutcome.Busy:
                    // Leave it pending: if the other consumer finishes, the retake finds the reply and acknowledges.
                    await db.HashDecrementAsync(DeliveriesKey, id);
                    break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down mid-job: the entry stays pending and another consumer takes it over.
        }
        catch (Exception e)
        {
            LogEntryFailed(logger, id, e.GetType().Name);
        }
    }

    private async Task AcknowledgeAsync(string id)
    {
        var tr = redis.GetDatabase().CreateTransaction();
        _ = tr.StreamAcknowledgeAsync(LlmStreams.Jobs, LlmStreams.Group, id);
        _ = tr.HashDeleteAsync(DeliveriesKey, id);
        await tr.ExecuteAsync();
    }

    private async Task DeadLetterAsync(StreamEntry entry, string reason, int attempts)
    {
        var id = entry.Id.ToString();
        NameValueEntry[] fields = [.. entry.Values, new("source_id", id), new("reason", reason), new("attempts", attempts),
            new("dead_at", time.GetUtcNow().ToUnixTimeMilliseconds())];
        var tr = redis.GetDatabase().CreateTransaction();
        _ = tr.StreamAddAsync(LlmStreams.DeadLetter, fields, maxLength: LlmStreams.MaxLength, useApproximateMaxLength: true);
        _ = tr.StreamAcknowledgeAsync(LlmStreams.Jobs, LlmStreams.Group, id);
        _ = tr.HashDeleteAsync(DeliveriesKey, id);
        await tr.ExecuteAsync();
        metrics.DeadLettered(reason);
        LogDeadLettered(logger, id, reason, attempts);
    }

    private async Task EnsureGroupAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await redis.GetDatabase().StreamCreateConsumerGroupAsync(LlmStreams.Jobs, LlmStreams.Group, "0-0", createStream: true);
                return;
            }
            catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (RedisException e)
            {
                LogLoopFailed(logger, e.GetType().Name, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            }
        }
    }

    private async Task HousekeepingAsync(CancellationToken ct)
    {
        metrics.DailyCost(await quota.SpentTodayAsync());
        metrics.DailyBudget(await quota.DailyBudgetAsync());
        if (time.GetUtcNow() < _nextKnowledgeRefresh)
        {
            return;
        }

        // The knowledge base changes rarely; the reload compares a fingerprint and costs little when nothing changed,
        // but a real rebuild takes seconds: it runs beside the loop so jobs keep flowing (answers use the old one).
        _nextKnowledgeRefresh = time.GetUtcNow() + KnowledgeRefresh;
        if (_knowledgeReload is { IsCompleted: false })
        {
            return;
        }

        _knowledgeReload = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await knowledge.ReloadAsync(scope.ServiceProvider.GetRequiredService<BotDbContext>(), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLoopFailed(logger, e.GetType().Name, e.Message);
            }
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over LLM job {EntryId} from a consumer that stopped")]
    private static partial void LogReclaimed(ILogger logger, string entryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM job {EntryId} is malformed")]
    private static partial void LogMalformed(ILogger logger, string entryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "LLM job {EntryId} dead-lettered ({Reason}) after {Attempts} attempts")]
    private static partial void LogDeadLettered(ILogger logger, string entryId, string reason, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM job of update {UpdateId} failed on attempt {Attempt} ({ErrorType})")]
    private static partial void LogJobFailed(ILogger logger, long updateId, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "LLM job entry {EntryId} could not be processed ({ErrorType})")]
    private static partial void LogEntryFailed(ILogger logger, string entryId, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM consumer pass failed ({ErrorType}): {Message}")]
    private static partial void LogLoopFailed(ILogger logger, string errorType, string message);
}
