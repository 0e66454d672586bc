using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Telegram;

/// <summary>
/// Hourly clean-up of the inbox and outbox: handled updates hold raw personal data and are only needed for
/// redelivery checks and debugging, so they are deleted after <c>Telegram:InboxRetention</c>; finished outbox
/// rows after <c>Telegram:OutboxRetention</c>. Open work is never touched.
/// </summary>
public sealed partial class QueueRetention(IServiceScopeFactory scopeFactory, IOptionsMonitor<TelegramOptions> options,
    TimeProvider time, ILogger<QueueRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var now = time.GetUtcNow();
        var inboxBefore = now - options.CurrentValue.InboxRetention;
        var outboxBefore = now - options.CurrentValue.OutboxRetention;
        var updates = await db.InboundUpdates
            .Where(u => (u.Status == InboxStatus.Done || u.Status == InboxStatus.Failed) && u.ReceivedAt < inboxBefore)
            .ExecuteDeleteAsync(cancellationToken);
        var messages = await db.OutboundMessages
            .Where(m => (m.Status == OutboxStatus.Sent || m.Status == OutboxStatus.Failed || m.Status == OutboxStatus.Dropped) && m.CreatedAt < outboxBefore)
            .ExecuteDeleteAsync(cancellationToken);
        if (updates + messages > 0)
        {
            LogPurged(logger, updates, messages);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Updates} handled updates and {Messages} finished outbox rows")]
    private static partial void LogPurged(ILogger logger, int updates, int messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention clean-up failed ({ErrorType}); next try in an hour")]
    private static partial void LogFailed(ILogger logger, string errorType);
}
