using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dev2Prod.Core.Domain;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.IntegrationTests.Intake;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Dev2Prod.IntegrationTests.Handoff;

/// <summary>
/// A customer and the agents' group around one gateway: the customer talks through <see cref="IntakeChat"/>,
/// agents press the card's buttons and write in the topic (or reply to the card) as Telegram would send it.
/// </summary>
internal sealed class HandoffDesk : IAsyncDisposable
{
    public const long Group = -1001777000111;
    public const long AgentAnna = 700_001;
    public const long AgentBen = 700_002;
    public const long SupervisorSue = 700_003;
    public const long Outsider = 700_009;

    private long _nextUpdateId = 9_000_000;

    private HandoffDesk(GatewayHost host, long customerId, bool isForum)
    {
        Host = host;
        IsForum = isForum;
        Customer = new IntakeChat(host, customerId);
    }

    public GatewayHost Host { get; }
    public bool IsForum { get; }
    public IntakeChat Customer { get; }
    public FakeTelegramServer Telegram => Host.Telegram;

    /// <summary>Always within business hours unless the test sets its own.</summary>
    public static Dictionary<string, string?> Settings(long customerId) => new()
    {
        ["Telegram:Sending:PerChatPerSecond"] = "100",
        ["Telegram:Sending:PerChatBurst"] = "100",
        ["Telegram:Sending:PerGroupPerMinute"] = "1000",
        ["Telegram:AgentGroupChatId"] = Group.ToString(CultureInfo.InvariantCulture),
        ["Handoff:BusinessHours:TimeZone"] = "UTC",
        ["Handoff:BusinessHours:Days:0"] = "Monday",
        ["Handoff:BusinessHours:Days:1"] = "Tuesday",
        ["Handoff:BusinessHours:Days:2"] = "Wednesday",
        ["Handoff:BusinessHours:Days:3"] = "Thursday",
        ["Handoff:BusinessHours:Days:4"] = "Friday",
        ["Handoff:BusinessHours:Days:5"] = "Saturday",
        ["Handoff:BusinessHours:Days:6"] = "Sunday",
        ["Handoff:BusinessHours:Start"] = "00:00",
        ["Handoff:BusinessHours:End"] = "23:59:59",
        ["Handoff:Agents:0:TelegramUserId"] = AgentAnna.ToString(CultureInfo.InvariantCulture),
        ["Handoff:Agents:0:TelegramUsername"] = "anna",
        ["Handoff:Agents:0:DisplayName"] = "Anna",
        ["Handoff:Agents:0:Role"] = "Agent",
        ["Handoff:Agents:1:TelegramUserId"] = AgentBen.ToString(CultureInfo.InvariantCulture),
        ["Handoff:Agents:1:TelegramUsername"] = "ben",
        ["Handoff:Agents:1:DisplayName"] = "Ben",
        ["Handoff:Agents:1:Role"] = "Agent",
        ["Handoff:Agents:2:TelegramUserId"] = SupervisorSue.ToString(CultureInfo.InvariantCulture),
        ["Handoff:Agents:2:TelegramUsername"] = "sue",
        ["Handoff:Agents:2:DisplayName"] = "Sue",
        ["Handoff:Agents:2:Role"] = "Supervisor",
    };

    public static async Task<HandoffDesk> StartAsync(StackFixture stack, long customerId, bool isForum = true,
        Action<Dictionary<string, string?>>? adjust = null, FakeTimeProvider? time = null)
    {
        var settings = Settings(customerId);
        adjust?.Invoke(settings);
        var host = await GatewayHost.StartAsync(stack, settings, time: time,
            configureTelegram: telegram => telegram.SetChat(Group, isForum));
        var desk = new HandoffDesk(host, customerId, isForum);
        await desk.WaitForAgentsAsync();
        return desk;
    }

    /// <summary>The configured agents are registered by a start-up job; tests act once they are there.</summary>
    private async Task WaitForAgentsAsync()
    {
        var deadline = DateTime.UtcNow + GatewayHost.Timeout;
        while (await Host.QueryAsync(db => db.Agents.CountAsync()) < 3)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The configured agents were not registered in time.");
            }

            await Task.Delay(50);
        }
    }

    public Task<Conversation> ConversationAsync() =>
        Host.QueryAsync(db => db.Conversations.AsNoTracking().Where(c => c.ChatId == Customer.UserId).OrderByDescending(c => c.Id).FirstAsync());

    public Task<List<ConversationMessage>> TranscriptAsync(long conversationId) =>
        Host.QueryAsync(db => db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).ToListAsync());

    /// <summary>Every message the bot sent to the agents' group, oldest first.</summary>
    public IReadOnlyList<RecordedCall> GroupMessages => Telegram.CallsTo("sendMessage").Where(c => c.ChatId == Group).ToList();

    /// <summary>The card of the conversation as sent to the group.</summary>
    public RecordedCall Card(long conversationId) =>
        GroupMessages.Last(m => IntakeChat.Buttons(m).Contains($"handoff:claim:{conversationId}") && m.Text("text")!.Contains("Handoff", StringComparison.Ordinal));

    /// <summary>Waits until the card has been sent and its Telegram id stored, and returns that id.</summary>
    public async Task<int> CardMessageIdAsync()
    {
        var deadline = DateTime.UtcNow + GatewayHost.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await ConversationAsync()).AgentCardMessageId is { } id)
            {
                return id;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The card got no Telegram message id in time.");
    }

    /// <summary>An agent presses a button on the card; returns the callback answer (text, alert).</summary>
    public async Task<(string? Text, bool Alert)> PressOnCardAsync(long agentId, string data)
    {
        var callbackId = $"cb{NextUpdateId()}";
        await ActAsync(GroupCallback(NextUpdateId(), agentId, data, await CardMessageIdAsync(), callbackId));
        var answer = await Telegram.WaitForCallAsync(c => c.Method == "answerCallbackQuery" && c.Text("callback_query_id") == callbackId, GatewayHost.Timeout);
        return (answer.Text("text"), answer.Parameters["show_alert"]?.ToString() is "true" or "True");
    }

    /// <summary>Posts several card presses at once (as two agents tapping together would).</summary>
    public async Task<IReadOnlyList<(long AgentId, string? Text, bool Alert)>> PressTogetherAsync(string data, params long[] agentIds)
    {
        var cardId = await CardMessageIdAsync();
        var presses = agentIds.Select(agent => (Agent: agent, CallbackId: $"cb{NextUpdateId()}", UpdateId: NextUpdateId())).ToList();
        var posts = presses.Select(p => Host.PostUpdateAsync(GroupCallback(p.UpdateId, p.Agent, data, cardId, p.CallbackId)));
        foreach (var response in await Task.WhenAll(posts))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        await Host.WaitForInboxDrainedAsync();
        await Host.WaitForOutboxDrainedAsync();
        var answers = new List<(long, string?, bool)>();
        foreach (var press in presses)
        {
            var answer = await Telegram.WaitForCallAsync(c => c.Method == "answerCallbackQuery" && c.Text("callback_query_id") == press.CallbackId, GatewayHost.Timeout);
            answers.Add((press.Agent, answer.Text("text"), answer.Parameters["show_alert"]?.ToString() is "true" or "True"));
        }

        return answers;
    }

    /// <summary>An agent writes in the conversation's topic (forum) or replies to its card (plain group).</summary>
    public async Task WriteInConversationAsync(long agentId, string text, string firstName = "Agent", string? username = null)
    {
        var conversation = await ConversationAsync();
        var cardId = await CardMessageIdAsync();
        var json = IsForum
            ? Updates.GroupText(NextUpdateId(), Group, agentId, text, threadId: conversation.AgentTopicId, isForum: true)
            : Updates.GroupText(NextUpdateId(), Group, agentId, text, replyToMessageId: cardId);
        var update = JsonNode.Parse(json)!;
        update["message"]!["from"] = new JsonObject { ["id"] = agentId, ["is_bot"] = false, ["first_name"] = firstName, ["username"] = username ?? $"user{agentId}" };
        await ActAsync(update.ToJsonString());
    }

    public async Task ActAsync(string updateJson)
    {
        using var response = await Host.PostUpdateAsync(updateJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Host.WaitForInboxDrainedAsync();
        await Host.WaitForOutboxDrainedAsync();
    }

    private string GroupCallback(long updateId, long agentId, string data, int cardMessageId, string callbackId)
    {
        var chat = new JsonObject { ["id"] = Group, ["type"] = "supergroup", ["title"] = "Agents" };
        if (IsForum)
        {
            chat["is_forum"] = true;
        }

        var message = new JsonObject
        {
            ["message_id"] = cardMessageId,
            ["from"] = new JsonObject { ["id"] = Updates.DefaultBotUserId, ["is_bot"] = true, ["first_name"] = FakeTelegramServer.BotFirstName, ["username"] = FakeTelegramServer.BotUsername },
            ["chat"] = chat,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = "…",
        };
        var update = new JsonObject
        {
            ["update_id"] = updateId,
            ["callback_query"] = new JsonObject
            {
                ["id"] = callbackId,
                ["from"] = new JsonObject { ["id"] = agentId, ["is_bot"] = false, ["first_name"] = $"Agent{agentId}" },
                ["message"] = message,
                ["chat_instance"] = "-777",
                ["data"] = data,
            },
        };
        return update.ToJsonString();
    }

    private long NextUpdateId() => Interlocked.Increment(ref _nextUpdateId);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
