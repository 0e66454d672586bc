using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Telegram.Outbox;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dev2Prod.IntegrationTests.Gateway;

/// <summary>The outbound sender: Telegram's limits, 429s, blocked users, refused messages, crashes.</summary>
public sealed class SenderTests(StackFixture stack)
{
    // Faster than Telegram's real 1/s so the test stays short; the pacing logic is the same.
    private static readonly Dictionary<string, string?> FastPacing = new()
    {
        ["Telegram:Sending:PerChatPerSecond"] = "10",
        ["Telegram:Sending:PerChatBurst"] = "2",
    };

    [Fact]
    public async Task BurstOfTwentyRepliesToOneChatIsSpreadAtThePerChatRateInOrder()
    {
        await using var host = await GatewayHost.StartAsync(stack, FastPacing);
        const long chatId = 6001;

        await QueueTextsAsync(host, chatId, 20);
        var calls = await host.Telegram.WaitForCallsAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, 20, GatewayHost.Timeout);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"burst {i}"), calls.Select(c => c.Text("text")));
        // 2 may go at once (the burst); the other 18 need at least 18 refills at 10/s, i.e. about 1.8 s.
        var span = calls[^1].At - calls[0].At;
        Assert.True(span >= TimeSpan.FromSeconds(1.6), $"20 messages went out within {span.TotalMilliseconds} ms");
        // Any 10 consecutive messages need at least 8 refills (0.8 s): no window runs ahead of the rate.
        // (Single gaps may be shorter: arrival times jitter, the bucket keeps the average.)
        var tightestWindow = Enumerable.Range(0, calls.Count - 9).Min(i => calls[i + 9].At - calls[i].At);
        Assert.True(tightestWindow >= TimeSpan.FromSeconds(0.7), $"10 consecutive messages went out within {tightestWindow.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task TooManyRequestsWithRetryAfterDelaysThenDelivers()
    {
        await using var host = await GatewayHost.StartAsync(stack);
        const long chatId = 6002;
        host.Telegram.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1);

        await QueueTextsAsync(host, chatId, 1);
        var calls = await host.Telegram.WaitForCallsAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, 2, GatewayHost.Timeout);
        await host.WaitForOutboxDrainedAsync();

        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(0.95), $"retried after {(calls[1].At - calls[0].At).TotalMilliseconds} ms");
        var row = await host.QueryAsync(db => db.OutboundMessages.SingleAsync(m => m.ChatId == chatId, TestContext.Current.CancellationToken));
        Assert.Equal(OutboxStatus.Sent, row.Status);
    }

    [Fact]
    public async Task MessageAcceptedWhileTheSenderIsDownIsDeliveredOnceAfterItRestarts()
    {
        await using var host = await GatewayHost.StartAsync(stack, startWorker: false);
        const long chatId = 6003;

        using var response = await host.PostUpdateAsync(Updates.Text(800_001, chatId, "/help"));
        await host.WaitForInboxDrainedAsync();
        var pending = await host.QueryAsync(db => db.OutboundMessages.CountAsync(m => m.ChatId == chatId && m.Status == OutboxStatus.Pending, TestContext.Current.CancellationToken));
        Assert.Empty(host.Telegram.CallsTo("sendMessage"));
        await host.StartWorkerAsync();
        await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, GatewayHost.Timeout);
        await host.WaitForOutboxDrainedAsync();

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(1, pending);
        Assert.Single(host.Telegram.CallsTo("sendMessage"), c => c.ChatId == chatId);
    }

    [Fact]
    public async Task SenderKilledMidCallIsReplacedAndTheMessageStillArrives()
    {
        await using var host = await GatewayHost.StartAsync(stack);
        const long chatId = 6004;
        host.Telegram.DelayNext("sendMessage", TimeSpan.FromSeconds(30));

        await QueueTextsAsync(host, chatId, 1);
        await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, GatewayHost.Timeout);
        await host.StopWorkerAsync();      // dies while Telegram has not answered
        await host.StartWorkerAsync();     // a new sender takes over once the claim lease (5 s here) ends
        await host.WaitForOutboxDrainedAsync(TimeSpan.FromSeconds(60));

        var row = await host.QueryAsync(db => db.OutboundMessages.SingleAsync(m => m.ChatId == chatId, TestContext.Current.CancellationToken));
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(2, host.Telegram.CallsTo("sendMessage").Count(c => c.ChatId == chatId));
    }

    [Fact]
    public async Task BlockedUserIsMarkedAndTheMessageDroppedWithoutRetries()
    {
        await using var host = await GatewayHost.StartAsync(stack);
        const long chatId = 6005;
        host.Telegram.BlockUser(chatId);

        using var response = await host.PostUpdateAsync(Updates.Text(800_010, chatId, "/start"));
        await host.WaitForInboxDrainedAsync();
        await host.WaitForOutboxDrainedAsync();

        var row = await host.QueryAsync(db => db.OutboundMessages.SingleAsync(m => m.ChatId == chatId, TestContext.Current.CancellationToken));
        var user = await host.QueryAsync(db => db.TelegramUsers.SingleAsync(u => u.Id == chatId, TestContext.Current.CancellationToken));
        Assert.Equal(OutboxStatus.Dropped, row.Status);
        Assert.True(user.IsBlocked);
        Assert.Single(host.Telegram.CallsTo("sendMessage"), c => c.ChatId == chatId);
    }

    [Fact]
    public async Task BadRequestIsLoggedAndDroppedWithoutARetryStorm()
    {
        await using var host = await GatewayHost.StartAsync(stack);
        const long chatId = 6006;

        await QueueTextsAsync(host, chatId, 1, text: "<b>unclosed");
        await host.WaitForOutboxDrainedAsync();

        var row = await host.QueryAsync(db => db.OutboundMessages.SingleAsync(m => m.ChatId == chatId, TestContext.Current.CancellationToken));
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Single(host.Telegram.CallsTo("sendMessage"), c => c.ChatId == chatId);
        Assert.Contains(host.WorkerLogs.Entries, e => e.Message.Contains("Telegram rejected outbox message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackOffUntilDelivered()
    {
        await using var host = await GatewayHost.StartAsync(stack);
        const long chatId = 6007;
        host.Telegram.FailNext("sendMessage", 502, "Bad Gateway", times: 2);

        await QueueTextsAsync(host, chatId, 1);
        await host.Telegram.WaitForCallsAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, 3, GatewayHost.Timeout);
        await host.WaitForOutboxDrainedAsync();

        var row = await host.QueryAsync(db => db.OutboundMessages.SingleAsync(m => m.ChatId == chatId, TestContext.Current.CancellationToken));
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(3, row.Attempts);
    }

    /// <summary>Queues texts the way features do: through the OutboxWriter, committed, then the wake-up signal.</summary>
    private static async Task QueueTextsAsync(GatewayHost host, long chatId, int count, string? text = null)
    {
        await using var scope = host.ApiServices.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Dev2Prod.Core.Data.BotDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<OutboxWriter>();
        for (var i = 1; i <= count; i++)
        {
            outbox.SendText(chatId, null, text ?? $"burst {i}", SenderType.Bot);
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        await scope.ServiceProvider.GetRequiredService<OutboxSignal>().NotifyAsync();
    }
}
