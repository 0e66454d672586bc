using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dev2Prod.IntegrationTests.Gateway;

public sealed class QueueRetentionTests(StackFixture stack)
{
    [Fact]
    public async Task OldFinishedWorkIsDeletedAndOpenWorkIsKept()
    {
        await using var host = await GatewayHost.StartAsync(stack, startWorker: false);
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        await host.QueryAsync(async db =>
        {
            db.InboundUpdates.AddRange(
                new InboundUpdate { UpdateId = 1, Kind = "Message", Status = InboxStatus.Done, ReceivedAt = old, NextAttemptAt = old },
                new InboundUpdate { UpdateId = 2, Kind = "Message", Status = InboxStatus.Done, ReceivedAt = DateTimeOffset.UtcNow, NextAttemptAt = old },
                new InboundUpdate { UpdateId = 3, Kind = "Message", Status = InboxStatus.Failed, ReceivedAt = old, NextAttemptAt = old });
            db.OutboundMessages.AddRange(
                new OutboundMessage { ChatId = 1, Method = "sendMessage", Status = OutboxStatus.Sent, CreatedAt = old, NextAttemptAt = old },
                new OutboundMessage { ChatId = 1, Method = "sendMessage", Status = OutboxStatus.Pending, CreatedAt = old, NextAttemptAt = DateTimeOffset.UtcNow.AddYears(1) });
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        await host.StartWorkerAsync();

        var retention = host.WorkerServices.GetServices<IHostedService>().OfType<QueueRetention>().Single();
        await retention.PurgeAsync(TestContext.Current.CancellationToken);

        Assert.Equal([2L], await host.QueryAsync(db => db.InboundUpdates.Select(u => u.UpdateId).ToListAsync(TestContext.Current.CancellationToken)));
        Assert.Equal([OutboxStatus.Pending], await host.QueryAsync(db => db.OutboundMessages.Select(m => m.Status).ToListAsync(TestContext.Current.CancellationToken)));
    }
}
