using Dev2Prod.Core.Domain;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Dev2Prod.IntegrationTests.Gateway;

/// <summary>Per-user limits through the whole pipeline, with a controllable clock (no waiting an hour).</summary>
public sealed class UserRateLimitTests(StackFixture stack)
{
    [Fact]
    public async Task SixtyFirstMessageInAnHourGetsTheNoticeTheNextGetsNothingAndTheNextHourWorksAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 5, 0, TimeSpan.Zero));
        await using var host = await GatewayHost.StartAsync(stack, startWorker: false, time: time);
        const long userId = 6101;

        // Commands, so every message gets exactly one answer (two messages the bot does not understand in a row
        // would hand the chat to a person, and the bot would stop answering).
        for (var i = 1; i <= 62; i++)
        {
            using var response = await host.PostUpdateAsync(Updates.Text(810_000 + i, userId, $"/help {i}"));
            Assert.True(response.IsSuccessStatusCode);
        }

        await host.WaitForInboxDrainedAsync();
        var afterSixtyTwo = await RepliesAsync(host, userId);
        time.Advance(TimeSpan.FromHours(1));
        using (await host.PostUpdateAsync(Updates.Text(810_100, userId, "/help again")))
        {
        }

        await host.WaitForInboxDrainedAsync();
        var afterNextHour = await RepliesAsync(host, userId);

        Assert.Equal(61, afterSixtyTwo.Count); // 60 answers + one notice; message 62 got nothing
        Assert.Contains("You can write again in about 55 minutes", afterSixtyTwo[^1], StringComparison.Ordinal);
        Assert.Equal(62, afterNextHour.Count);
        Assert.DoesNotContain("pausing", afterNextHour[^1], StringComparison.Ordinal);
        Assert.Equal(63, await host.QueryAsync(db => db.Messages.CountAsync(m => m.TelegramChatId == userId && m.Direction == MessageDirection.Inbound, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task DailyLimitSaysWhenTheDayResets()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 5, 0, TimeSpan.Zero));
        await using var host = await GatewayHost.StartAsync(stack, new Dictionary<string, string?>
        {
            ["Telegram:UserLimits:MessagesPerDay"] = "3",
        }, startWorker: false, time: time);
        const long userId = 6102;

        for (var i = 1; i <= 5; i++)
        {
            using var response = await host.PostUpdateAsync(Updates.Text(820_000 + i, userId, $"/help {i}"));
        }

        await host.WaitForInboxDrainedAsync();
        var replies = await RepliesAsync(host, userId);

        Assert.Equal(4, replies.Count);
        Assert.Contains("after 00:00 UTC", replies[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentsAreExempt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 5, 0, TimeSpan.Zero));
        await using var host = await GatewayHost.StartAsync(stack, new Dictionary<string, string?>
        {
            ["Telegram:UserLimits:MessagesPerHour"] = "2",
        }, startWorker: false, time: time);
        const long agentUserId = 6103;
        await host.QueryAsync(async db =>
        {
            db.Agents.Add(new Agent { TelegramUserId = agentUserId, DisplayName = "Agent Smith", CreatedAt = time.GetUtcNow() });
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        for (var i = 1; i <= 4; i++)
        {
            using var response = await host.PostUpdateAsync(Updates.Text(830_000 + i, agentUserId, $"/help {i}"));
        }

        await host.WaitForInboxDrainedAsync();

        Assert.Equal(4, (await RepliesAsync(host, agentUserId)).Count);
    }

    private static Task<List<string>> RepliesAsync(GatewayHost host, long chatId) => host.QueryAsync(db => db.OutboundMessages
        .Where(m => m.ChatId == chatId)
        .OrderBy(m => m.Id)
        .Select(m => m.PayloadJson)
        .ToListAsync(TestContext.Current.CancellationToken));
}
