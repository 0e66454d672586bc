using System.Net;
using System.Text.Json.Nodes;
using Dev2Prod.Core.Domain;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.IntegrationTests.Intake;

/// <summary>
/// One user talking to the bot through the webhook: each action posts an update, waits until it is handled
/// and its replies are sent, and returns the bot's new messages to this chat. Buttons are pressed under the
/// message that carries them, with that message's real Telegram id.
/// </summary>
internal sealed class IntakeChat(GatewayHost host, long userId)
{
    private long _nextUpdateId = userId * 1_000;
    private int _seen;

    public long UserId => userId;

    /// <summary>Every message the bot sent to this chat so far, oldest first.</summary>
    public IReadOnlyList<RecordedCall> Messages => host.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == userId).ToList();

    public Task<IReadOnlyList<RecordedCall>> SendAsync(string text) => ActAsync(Updates.Text(NextUpdateId(), userId, text));

    /// <summary>Shares the phone number of the Telegram account, as the "share my phone number" button does.</summary>
    public Task<IReadOnlyList<RecordedCall>> ShareContactAsync(string phoneNumber)
    {
        var update = JsonNode.Parse(Updates.Text(NextUpdateId(), userId, "x"))!;
        var message = update["message"]!.AsObject();
        message.Remove("text");
        message["contact"] = new JsonObject { ["phone_number"] = phoneNumber, ["first_name"] = "Alice", ["user_id"] = userId };
        return ActAsync(update.ToJsonString());
    }

    /// <summary>Presses the button with this callback data under the latest message that shows it.</summary>
    public async Task<IReadOnlyList<RecordedCall>> PressAsync(string data) =>
        await ActAsync(Updates.Callback(NextUpdateId(), userId, data, await MessageIdOfButtonAsync(data)));

    /// <summary>Presses the same button twice in a row, as a double tap does (two updates, two callback queries).</summary>
    public async Task<IReadOnlyList<RecordedCall>> DoubleTapAsync(string data)
    {
        var messageId = await MessageIdOfButtonAsync(data);
        using (var first = await host.PostUpdateAsync(Updates.Callback(NextUpdateId(), userId, data, messageId)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        return await ActAsync(Updates.Callback(NextUpdateId(), userId, data, messageId));
    }

    public async Task<IReadOnlyList<RecordedCall>> ActAsync(string updateJson)
    {
        using var response = await host.PostUpdateAsync(updateJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await host.WaitForInboxDrainedAsync();
        await host.WaitForOutboxDrainedAsync();
        var all = Messages;
        var fresh = all.Skip(_seen).ToList();
        _seen = all.Count;
        return fresh;
    }

    /// <summary>The session of the chat's open conversation, as stored in Postgres.</summary>
    public async Task<JsonObject> StoredSessionAsync() =>
        JsonNode.Parse(await host.QueryAsync(db => db.Conversations
            .Where(c => c.ChatId == userId && c.Status != ConversationStatus.Closed)
            .Select(c => c.SessionJson).SingleAsync()))!.AsObject();

    public Task<long> ConversationIdAsync() =>
        host.QueryAsync(db => db.Conversations.Where(c => c.ChatId == userId && c.Status != ConversationStatus.Closed).Select(c => c.Id).SingleAsync());

    public Task<List<Lead>> LeadsAsync() =>
        host.QueryAsync(db => db.Leads.Where(l => l.TelegramUserId == userId).OrderBy(l => l.Id).ToListAsync());

    private async Task<int> MessageIdOfButtonAsync(string data)
    {
        var message = Messages.LastOrDefault(m => Buttons(m).Contains(data))
                      ?? throw new InvalidOperationException($"No message to chat {userId} shows a button {data}.");
        var text = message.Text("text");
        var deadline = DateTime.UtcNow + GatewayHost.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            // The sender records Telegram's message id right after marking the row sent.
            var id = await host.QueryAsync(db => db.Messages
                .Where(m => m.TelegramChatId == userId && m.Direction == MessageDirection.Outbound && m.Text == text)
                .OrderByDescending(m => m.Id).Select(m => m.TelegramMessageId).FirstOrDefaultAsync());
            if (id is { } messageId)
            {
                return messageId;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The message with button {data} got no Telegram id in time.");
    }

    public static IReadOnlyList<string> Buttons(RecordedCall message) =>
        message.Json("reply_markup")?["inline_keyboard"] is JsonArray rows
            ? rows.OfType<JsonArray>().SelectMany(row => row.OfType<JsonObject>())
                .Select(button => button["callback_data"]?.GetValue<string>()).OfType<string>().ToList()
            : [];

    public static IReadOnlyList<string> ButtonTexts(RecordedCall message) =>
        message.Json("reply_markup")?["inline_keyboard"] is JsonArray rows
            ? rows.OfType<JsonArray>().SelectMany(row => row.OfType<JsonObject>())
                .Select(button => button["text"]?.GetValue<string>()).OfType<string>().ToList()
            : [];

    private long NextUpdateId() => ++_nextUpdateId;
}

internal static class RecordedCallText
{
    /// <summary>The texts of the messages, for assertions and failure messages.</summary>
    public static string Texts(this IEnumerable<RecordedCall> messages) =>
        string.Join("\n---\n", messages.Select(m => m.Text("text")));
}
