using Dev2Prod.Core.Data;
using Dev2Prod.Core.Features.Faq;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Dev2Prod.Api.Features.Faq;

/// <summary>
/// Keeps this process's classifier in step with faq_entries: loads at start (so the first question does not
/// pay for the model), reloads when a change is published, and checks the newest updated_at every
/// <see cref="PollInterval"/> in case a publication was missed. Edits take effect without a restart.
/// </summary>
public sealed partial class FaqKnowledgeSync(
    IServiceScopeFactory scopeFactory,
    FaqKnowledgeBase knowledge,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<FaqKnowledgeSync> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);

    /// <summary>
    /// Loads the knowledge before the Api starts serving: building the classifier takes seconds, and the first
    /// question must not pay for it inside its update's database transaction.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(force: true, cancellationToken);
            _ = knowledge.Classifier; // built from the seed if the table was still empty
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSyncFailed(logger, e.GetType().Name);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(FaqChanges.Channel, (_, _) => _changed.Release());
        }
        catch (RedisException e)
        {
            LogNoSubscription(logger, e.GetType().Name);
        }

        var force = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(force, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSyncFailed(logger, e.GetType().Name);
            }

            force = await _changed.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>Reloads when forced or when the database has newer entries than those loaded.</summary>
    public async Task SyncAsync(bool force, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        if (!force)
        {
            var newest = await db.FaqEntries.MaxAsync(e => (DateTimeOffset?)e.UpdatedAt, cancellationToken);
            var count = await db.FaqEntries.CountAsync(cancellationToken);
            if (newest == knowledge.LoadedUpdatedAt && count == knowledge.Classifier.Knowledge.Entries.Count)
            {
                return;
            }
        }

        var started = time.GetTimestamp();
        if (await knowledge.ReloadAsync(db, cancellationToken))
        {
            LogReloaded(logger, knowledge.Version, time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FAQ knowledge reloaded (version {Version}) in {ElapsedMs:F0} ms")]
    private static partial void LogReloaded(ILogger logger, long version, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FAQ change notifications unavailable ({ErrorType}); polling only")]
    private static partial void LogNoSubscription(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FAQ knowledge sync failed ({ErrorType}); keeping the loaded knowledge")]
    private static partial void LogSyncFailed(ILogger logger, string errorType);
}
