using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Telegram.Simulator;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Dev2Prod.IntegrationTests.Simulator;

/// <summary>
/// "Try the bot": simulated updates posted to <c>/api/simulator/updates</c> run through the real inbox, pipeline
/// and outbox sender, and the replies land in the chat's Redis stream instead of Telegram.
/// </summary>
public sealed class SimulatorTests(StackFixture stack)
{
    private const string ApiKey = "simulator-test-key";
    private const long ChatId = SimulatedChats.FirstId + 42;

    [Fact]
    public async Task WithoutTheRightKeyTheSimulatorRefusesAndRecordsNothing()
    {
        await using var host = await StartAsync(withTelegramToken: false);

        using var noKey = await PostAsync(host, Text(ChatId, "hello"), key: null);
        using var wrongKey = await PostAsync(host, Text(ChatId, "hello"), key: "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(0, await host.QueryAsync(db => db.InboundUpdates.CountAsync()));
    }

    [Fact]
    public async Task WithNoKeyConfiguredNobodyGetsIn()
    {
        await using var host = await StartAsync(withTelegramToken: false, apiKey: "");

        using var response = await PostAsync(host, Text(ChatId, "hello"), key: "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(12345L)] // a real user's chat
    [InlineData(-1001234567890L)] // a group
    public async Task UpdatesForChatsOutsideTheReservedRangeAreRefused(long chatId)
    {
        await using var host = await StartAsync(withTelegramToken: false);

        using var response = await PostAsync(host, Text(chatId, "hello"), ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Simulated chats use ids", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, await host.QueryAsync(db => db.InboundUpdates.CountAsync()));
    }

    [Fact]
    public async Task MalformedOrUnsupportedUpdatesGetAClearAnswer()
    {
        await using var host = await StartAsync(withTelegramToken: false);

        using var notJson = await PostAsync(host, "{not json", ApiKey);
        using var edited = await PostAsync(host, Edited(ChatId), ApiKey);
        using var mismatched = await PostAsync(host, FromSomeoneElse(ChatId), ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, edited.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
        Assert.Equal(0, await host.QueryAsync(db => db.InboundUpdates.CountAsync()));
    }

    [Fact]
    public async Task WithoutATelegramTokenStartIsAnsweredInTheStreamWithItsButtons()
    {
        await using var host = await StartAsync(withTelegramToken: false);

        using var response = await PostAsync(host, Text(ChatId, "/start"), ApiKey);
        var entries = await WaitForStreamAsync(host, ChatId, e => Kind(e) == SimulatorEventKinds.BotMessage);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(accepted["updateId"]!.GetValue<int>() < 0, "simulated update ids are negative");
        var echo = entries.First(e => Kind(e) == SimulatorEventKinds.UserMessage);
        Assert.Equal("/start", (string?)echo[SimulatorFields.Text]);
        var reply = entries.First(e => Kind(e) == SimulatorEventKinds.BotMessage);
        Assert.Equal("HTML", (string?)reply[SimulatorFields.ParseMode]);
        Assert.NotEmpty(SimulatorStream.ButtonsFromJson(reply[SimulatorFields.Buttons]));
        Assert.True(int.Parse((string)reply[SimulatorFields.MessageId]!, System.Globalization.CultureInfo.InvariantCulture) > accepted["messageId"]!.GetValue<int>());

        await host.WaitForOutboxDrainedAsync();
        var sent = await host.QueryAsync(db => db.OutboundMessages.Where(m => m.ChatId == ChatId).ToListAsync());
        Assert.All(sent, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        var botMessage = await host.QueryAsync(db => db.Messages.FirstAsync(m => m.TelegramChatId == ChatId && m.SenderType == SenderType.Bot));
        Assert.NotNull(botMessage.TelegramMessageId);
        Assert.Empty(host.Telegram.Calls);
    }

    [Fact]
    public async Task AButtonPressIsHandledAndItsAnswerAndTheNextMessageArriveInTheStream()
    {
        await using var host = await StartAsync(withTelegramToken: false);
        await PostAsync(host, Text(ChatId, "/start"), ApiKey);
        var menu = (await WaitForStreamAsync(host, ChatId, e => Kind(e) == SimulatorEventKinds.BotMessage)).Last(e => Kind(e) == SimulatorEventKinds.BotMessage);
        var menuId = int.Parse((string)menu[SimulatorFields.MessageId]!, System.Globalization.CultureInfo.InvariantCulture);
        var button = SimulatorStream.ButtonsFromJson(menu[SimulatorFields.Buttons]).SelectMany(r => r).First(b => b.CallbackData is not null);

        using var press = await PostAsync(host, Callback(ChatId, menuId, button.CallbackData!), ApiKey);
        var entries = await WaitForTranscriptAsync(host, ChatId, all =>
            all.SkipWhile(e => Kind(e) != SimulatorEventKinds.UserCallback).Any(e => Kind(e) is SimulatorEventKinds.BotMessage or SimulatorEventKinds.Edit)
            && all.Any(e => Kind(e) == SimulatorEventKinds.CallbackAnswer));

        Assert.Equal(HttpStatusCode.Accepted, press.StatusCode);
        Assert.Contains(entries, e => Kind(e) == SimulatorEventKinds.UserCallback && (string?)e[SimulatorFields.Text] == button.CallbackData);
        Assert.Contains(entries, e => Kind(e) == SimulatorEventKinds.CallbackAnswer);
        Assert.Empty(host.Telegram.Calls);
    }

    [Fact]
    public async Task WithATokenRealChatsGoToTelegramAndSimulatedChatsNever()
    {
        await using var host = await StartAsync(withTelegramToken: true);
        const long realChat = 7_700_001;

        await host.PostUpdateAsync(Updates.Text(970_001, realChat, "/start"));
        await PostAsync(host, Text(ChatId, "/start"), ApiKey);
        await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == realChat, GatewayHost.Timeout);
        await WaitForStreamAsync(host, ChatId, e => Kind(e) == SimulatorEventKinds.BotMessage);
        await host.WaitForOutboxDrainedAsync();

        Assert.DoesNotContain(host.Telegram.Calls, c => c.ChatId == ChatId);
        var user = await host.QueryAsync(db => db.TelegramUsers.SingleAsync(u => u.Id == ChatId));
        Assert.Equal("Test", user.FirstName);
    }

    [Fact]
    public async Task WithoutATokenRealChatsStayQueuedWhileSimulatedChatsAreServed()
    {
        await using var host = await StartAsync(withTelegramToken: false);
        const long realChat = 7_700_002;

        await host.PostUpdateAsync(Updates.Text(970_002, realChat, "/start"));
        await host.WaitForInboxDrainedAsync();
        await PostAsync(host, Text(ChatId, "/start"), ApiKey);
        await WaitForStreamAsync(host, ChatId, e => Kind(e) == SimulatorEventKinds.BotMessage);

        var realRows = await host.QueryAsync(db => db.OutboundMessages.Where(m => m.ChatId == realChat).Select(m => m.Status).ToListAsync());
        Assert.NotEmpty(realRows);
        Assert.All(realRows, status => Assert.Equal(OutboxStatus.Pending, status));
    }

    private static Task<GatewayHost> StartAsync(StackFixture stack, bool withTelegramToken, string apiKey)
    {
        var settings = new Dictionary<string, string?> { ["Api:AdminApiKey"] = apiKey };
        if (!withTelegramToken)
        {
            settings["Telegram:BotToken"] = "";
        }

        return GatewayHost.StartAsync(stack, settings);
    }

    private Task<GatewayHost> StartAsync(bool withTelegramToken, string apiKey = ApiKey) => StartAsync(stack, withTelegramToken, apiKey);

    private static async Task<HttpResponseMessage> PostAsync(GatewayHost host, string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/simulator/updates")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var client = host.Api;
        return await client.SendAsync(request, TestContext.Current.CancellationToken).WaitAsync(GatewayHost.Timeout, TestContext.Current.CancellationToken);
    }

    private static Task<StreamEntry[]> WaitForStreamAsync(GatewayHost host, long chatId, Func<StreamEntry, bool> until) =>
        WaitForTranscriptAsync(host, chatId, entries => entries.Any(until));

    private static async Task<StreamEntry[]> WaitForTranscriptAsync(GatewayHost host, long chatId, Func<StreamEntry[], bool> until)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.RedisConnectionString);
        var deadline = DateTime.UtcNow + GatewayHost.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var entries = await redis.GetDatabase().StreamRangeAsync(SimulatedChats.StreamKey(chatId));
            if (until(entries))
            {
                return entries;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The simulated chat's stream did not get the expected entry in time.");
    }

    private static string? Kind(StreamEntry entry) => entry[SimulatorFields.Kind];

    private static JsonObject Chat(long chatId) => new() { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Test" };

    private static JsonObject From(long chatId) => new() { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Test" };

    private static string Text(long chatId, string text)
    {
        var message = new JsonObject { ["message_id"] = 0, ["date"] = 0, ["chat"] = Chat(chatId), ["from"] = From(chatId), ["text"] = text };
        if (text.StartsWith('/'))
        {
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = text.Split(' ')[0].Length });
        }

        return new JsonObject { ["update_id"] = 0, ["message"] = message }.ToJsonString();
    }

    private static string Edited(long chatId) => new JsonObject
    {
        ["update_id"] = 1,
        ["edited_message"] = new JsonObject { ["message_id"] = 1, ["date"] = 0, ["edit_date"] = 1, ["chat"] = Chat(chatId), ["from"] = From(chatId), ["text"] = "x" },
    }.ToJsonString();

    private static string FromSomeoneElse(long chatId) => new JsonObject
    {
        ["update_id"] = 0,
        ["message"] = new JsonObject { ["message_id"] = 0, ["date"] = 0, ["chat"] = Chat(chatId), ["from"] = From(chatId + 1), ["text"] = "hi" },
    }.ToJsonString();

    private static string Callback(long chatId, int messageId, string data) => new JsonObject
    {
        ["update_id"] = 0,
        ["callback_query"] = new JsonObject
        {
            ["id"] = "",
            ["from"] = From(chatId),
            ["message"] = new JsonObject { ["message_id"] = messageId, ["date"] = 0, ["chat"] = Chat(chatId) },
            ["chat_instance"] = "1",
            ["data"] = data,
        },
    }.ToJsonString();
}
