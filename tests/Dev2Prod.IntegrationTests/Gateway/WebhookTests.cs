using System.Net;
using Dev2Prod.Core.Domain;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.IntegrationTests.Gateway;

/// <summary>The webhook's contract: authenticated, parsed, recorded durably, handled exactly once.</summary>
public sealed class WebhookTests(StackFixture stack) : IAsyncLifetime
{
    private GatewayHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await GatewayHost.StartAsync(stack);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task EveryRealShapedPayloadIsAcceptedAndHandledWithoutAnError()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Gateway", "Payloads"), "*.json");
        Assert.Equal(71, files.Length);

        foreach (var file in files)
        {
            using var response = await _host.PostUpdateAsync(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            Assert.True(response.IsSuccessStatusCode, $"{Path.GetFileName(file)} answered {(int)response.StatusCode}");
        }

        await _host.WaitForInboxDrainedAsync();
        await _host.WaitForOutboxDrainedAsync();
        var failedUpdates = await _host.QueryAsync(db => db.InboundUpdates.CountAsync(u => u.Status != InboxStatus.Done, TestContext.Current.CancellationToken));
        var errors = _host.ApiLogs.Entries.Concat(_host.WorkerLogs.Entries)
            .Where(e => e.Exception is not null || e.Level >= LogLevel.Error).ToList();
        Assert.Equal(0, failedUpdates);
        Assert.True(errors.Count == 0, "logged errors: " + string.Join("\n", errors.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    [Fact]
    public async Task MissingOrWrongSecretIsRefusedWithoutParsing()
    {
        var update = Updates.Text(700_001, 5001, "hello");

        using var missing = await _host.PostUpdateAsync(update, secret: null);
        using var wrong = await _host.PostUpdateAsync(update, secret: "not-the-secret");
        using var prefix = await _host.PostUpdateAsync("{not json", secret: GatewayHost.Secret[..^1]);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, prefix.StatusCode);
        Assert.Equal(0, await _host.QueryAsync(db => db.InboundUpdates.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("{\"update_id\": 1, \"message\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"update_id\": \"abc\"}")]
    public async Task MalformedJsonGetsProblemDetailsAndALogLineWithoutTheBody(string body)
    {
        using var response = await _host.PostUpdateAsync(body);
        var problem = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Malformed update", problem, StringComparison.Ordinal);
        var logged = Assert.Single(_host.ApiLogs.Entries, e => e.Message.Contains("malformed update", StringComparison.Ordinal));
        Assert.DoesNotContain(body, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownUpdateTypeIsAcknowledgedAndIgnored()
    {
        using var response = await _host.PostUpdateAsync("""{"update_id": 700100, "some_future_update": {"id": 1}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await _host.QueryAsync(db => db.InboundUpdates.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task TheSameUpdatePostedFiveTimesGetsExactlyOneReply()
    {
        var update = Updates.Text(700_200, 5002, "/start");

        for (var i = 0; i < 5; i++)
        {
            using var response = await _host.PostUpdateAsync(update);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await AssertExactlyOneReplyAsync(5002);
    }

    [Fact]
    public async Task TheSameUpdatePostedFiveTimesConcurrentlyGetsExactlyOneReply()
    {
        var update = Updates.Text(700_300, 5003, "/start");

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _host.PostUpdateAsync(update)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertExactlyOneReplyAsync(5003);
    }

    [Fact]
    public async Task UpdatesArrivingOutOfOrderAreHandledOneAtATimePerChat()
    {
        // Telegram delivers over several connections: a chat's later update can be recorded first. Both updates
        // open the chat's first conversation, so handling them at the same time would collide.
        const int chats = 12;
        foreach (var chat in Enumerable.Range(0, chats))
        {
            var userId = 6100L + chat;
            var firstId = 710_000 + (chat * 10);
            using var later = await _host.PostUpdateAsync(Updates.Text(firstId + 1, userId, "/help"));
            using var earlier = await _host.PostUpdateAsync(Updates.Text(firstId, userId, "/start"));
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        }

        await _host.WaitForInboxDrainedAsync();
        var conversationsPerChat = await _host.QueryAsync(db => db.Conversations
            .Where(c => c.ChatId >= 6100 && c.ChatId < 6100 + chats)
            .GroupBy(c => c.ChatId).Select(g => g.Count()).ToListAsync(TestContext.Current.CancellationToken));
        var retried = await _host.QueryAsync(db => db.InboundUpdates.CountAsync(u => u.UpdateId >= 710_000 && u.Attempts > 1, TestContext.Current.CancellationToken));

        Assert.Equal(chats, conversationsPerChat.Count);
        Assert.All(conversationsPerChat, count => Assert.Equal(1, count));
        Assert.Equal(0, retried);
        Assert.DoesNotContain(_host.ApiLogs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task StartGreetsByNameAndStoresBothMessages()
    {
        using var response = await _host.PostUpdateAsync(Updates.Text(700_400, 5004, "/start", firstName: "Zoë <Admin>"));

        var reply = await _host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == 5004, GatewayHost.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hi Zoë &lt;Admin&gt;!", reply.Text("text"), StringComparison.Ordinal);
        Assert.Equal("html", reply.Text("parse_mode")?.ToLowerInvariant());
        await _host.WaitForOutboxDrainedAsync();
        var messages = await _host.QueryAsync(db => db.Messages.Where(m => m.TelegramChatId == 5004).OrderBy(m => m.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([SenderType.User, SenderType.Bot], messages.Select(m => m.SenderType));
        Assert.Equal("/start", messages[0].Text);
        Assert.Equal(700_400, messages[0].TelegramUpdateId);
        Assert.NotNull(messages[1].TelegramMessageId);
    }

    [Fact]
    public async Task UnreachableDatabaseAnswers503AndTheRedeliveredUpdateIsHandledOnce()
    {
        var update = Updates.Text(700_500, 5005, "/help");

        _host.PostgresProxy.Cut();
        using var unavailable = await _host.PostUpdateAsync(update);
        _host.PostgresProxy.Restore();
        using var redelivered = await _host.PostUpdateAsync(update);
        using var again = await _host.PostUpdateAsync(update);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await AssertExactlyOneReplyAsync(5005);
    }

    [Fact]
    public async Task UserWhoBlockedTheBotIsMarkedAndWritingAgainUnblocks()
    {
        await _host.PostUpdateAsync(Updates.Text(700_600, 5006, "/start"));
        await _host.WaitForInboxDrainedAsync();
        var blocked = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Gateway", "Payloads", "my_chat_member-blocked.json"), TestContext.Current.CancellationToken))!;
        var userId = blocked["my_chat_member"]!["from"]!["id"]!.GetValue<long>();

        await _host.PostUpdateAsync(blocked.ToJsonString());
        await _host.WaitForInboxDrainedAsync();
        var isBlocked = await _host.QueryAsync(db => db.TelegramUsers.Where(u => u.Id == userId).Select(u => u.IsBlocked).SingleAsync(TestContext.Current.CancellationToken));
        await _host.PostUpdateAsync(Updates.Text(700_602, userId, "hello again"));
        await _host.WaitForInboxDrainedAsync();
        var afterWriting = await _host.QueryAsync(db => db.TelegramUsers.Where(u => u.Id == userId).Select(u => u.IsBlocked).SingleAsync(TestContext.Current.CancellationToken));

        Assert.True(isBlocked);
        Assert.False(afterWriting);
    }

    private async Task AssertExactlyOneReplyAsync(long chatId)
    {
        await _host.WaitForInboxDrainedAsync();
        await _host.WaitForOutboxDrainedAsync();
        await _host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, GatewayHost.Timeout);
        Assert.Single(_host.Telegram.CallsTo("sendMessage"), c => c.ChatId == chatId);
        Assert.Equal(1, await _host.QueryAsync(db => db.Messages.CountAsync(m => m.TelegramChatId == chatId && m.Direction == MessageDirection.Inbound, TestContext.Current.CancellationToken)));
        Assert.Equal(1, await _host.QueryAsync(db => db.InboundUpdates.CountAsync(u => u.ChatId == chatId, TestContext.Current.CancellationToken)));
    }
}
