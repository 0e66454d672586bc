using System.Globalization;
using System.Text.Json.Nodes;
using Dev2Prod.Admin.Features.BotApi;
using Dev2Prod.Core.Telegram.Simulator;

namespace Dev2Prod.Admin.Features.Try;

/// <summary>
/// The dashboard user as a test customer of the bot: builds Telegram updates (the real Update JSON shape) for
/// their simulated private chat and posts them to the Api, which feeds them to the same pipeline as Telegram's.
/// </summary>
public sealed class SimulatedCustomer(BotApiClient api, SimulatorStream stream)
{
    public bool IsConfigured => api.IsConfigured;

    public Task<int?> SendTextAsync(long chatId, string userName, string text, CancellationToken cancellationToken) =>
        api.PostSimulatedUpdateAsync(TextUpdate(chatId, userName, text), cancellationToken);

    public Task<int?> ShareContactAsync(long chatId, string userName, string phoneNumber, CancellationToken cancellationToken) =>
        api.PostSimulatedUpdateAsync(ContactUpdate(chatId, userName, phoneNumber), cancellationToken);

    public Task PressButtonAsync(long chatId, string userName, int messageId, string callbackData, CancellationToken cancellationToken) =>
        api.PostSimulatedUpdateAsync(CallbackUpdate(chatId, userName, messageId, callbackData), cancellationToken);

    public Task<IReadOnlyList<StackExchange.Redis.StreamEntry>> ReadAsync(long chatId, string afterId) => stream.ReadAsync(chatId, afterId);

    /// <summary>Starts over with an empty transcript (the conversation in the database stays, like any other).</summary>
    public Task ClearTranscriptAsync(long chatId) => stream.ClearAsync(chatId);

    public static JsonObject TextUpdate(long chatId, string userName, string text)
    {
        var message = Message(chatId, userName);
        message["text"] = text;
        if (text.StartsWith('/'))
        {
            var command = text.Split(' ', 2)[0];
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = command.Length });
        }

        return new JsonObject { ["update_id"] = 0, ["message"] = message };
    }

    public static JsonObject ContactUpdate(long chatId, string userName, string phoneNumber)
    {
        var message = Message(chatId, userName);
        message["contact"] = new JsonObject { ["phone_number"] = phoneNumber, ["first_name"] = FirstName, ["user_id"] = chatId };
        return new JsonObject { ["update_id"] = 0, ["message"] = message };
    }

    public static JsonObject CallbackUpdate(long chatId, string userName, int messageId, string callbackData) => new()
    {
        ["update_id"] = 0,
        ["callback_query"] = new JsonObject
        {
            ["id"] = "",
            ["from"] = User(chatId, userName),
            ["message"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["date"] = 0,
                ["chat"] = Chat(chatId, userName),
                ["from"] = new JsonObject { ["id"] = 1, ["is_bot"] = true, ["first_name"] = "Dev2Prod" },
            },
            ["chat_instance"] = chatId.ToString(CultureInfo.InvariantCulture),
            ["data"] = callbackData,
        },
    };

    /// <summary>Test customers are called "Test" with the dashboard user's name as last name, so transcripts show who tried what.</summary>
    private const string FirstName = "Test";

    private static JsonObject Message(long chatId, string userName) => new()
    {
        ["message_id"] = 0,
        ["date"] = 0,
        ["chat"] = Chat(chatId, userName),
        ["from"] = User(chatId, userName),
    };

    private static JsonObject Chat(long chatId, string userName) => new()
    {
        ["id"] = chatId,
        ["type"] = "private",
        ["first_name"] = FirstName,
        ["last_name"] = $"({userName})",
    };

    private static JsonObject User(long chatId, string userName) => new()
    {
        ["id"] = chatId,
        ["is_bot"] = false,
        ["first_name"] = FirstName,
        ["last_name"] = $"({userName})",
        ["language_code"] = "en",
    };
}
