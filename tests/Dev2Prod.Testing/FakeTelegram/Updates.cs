using System.Text.Json.Nodes;

namespace Dev2Prod.Testing.FakeTelegram;

/// <summary>
/// Update JSON in the shape Telegram sends (see the Bot API's Update, Message and CallbackQuery), for
/// <see cref="FakeTelegramServer.EnqueueUpdateAsync"/> and <see cref="FakeTelegramServer.PostToWebhookAsync"/>.
/// Messages from the bot inside updates carry the user of <see cref="FakeTelegramServer.DefaultToken"/>.
/// </summary>
public static class Updates
{
    /// <summary>The bot's user id for <see cref="FakeTelegramServer.DefaultToken"/>.</summary>
    public const long DefaultBotUserId = 123456;

    /// <summary>A text message in the private chat with <paramref name="userId"/>; a leading /command gets its bot_command entity.</summary>
    /// <param name="messageId">Defaults to a number derived from <paramref name="updateId"/>.</param>
    public static string Text(long updateId, long userId, string text, string firstName = "Alice", string? username = "alice", int? messageId = null)
    {
        var from = User(userId, firstName, username);
        var message = new JsonObject
        {
            ["message_id"] = messageId ?? DefaultMessageId(updateId),
            ["from"] = from,
            ["chat"] = PrivateChat(userId, firstName, username),
            ["date"] = Now(),
            ["text"] = text,
        };
        AddCommandEntity(message, text);
        return Update(updateId, "message", message);
    }

    /// <summary>
    /// A press on an inline button with <paramref name="data"/>, under the bot's message <paramref name="messageId"/>
    /// in the private chat with <paramref name="userId"/>.
    /// </summary>
    /// <param name="callbackId">Defaults to an id derived from <paramref name="updateId"/>.</param>
    public static string Callback(long updateId, long userId, string data, int messageId, string? callbackId = null)
    {
        var callbackQuery = new JsonObject
        {
            ["id"] = callbackId ?? $"{updateId}{userId % 1000:D3}",
            ["from"] = User(userId, "Alice", "alice"),
            ["message"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = BotUser(),
                ["chat"] = PrivateChat(userId, "Alice", "alice"),
                ["date"] = Now(),
                ["text"] = "…",
            },
            ["chat_instance"] = $"-31415{Math.Abs(userId)}",
            ["data"] = data,
        };
        return Update(updateId, "callback_query", callbackQuery);
    }

    /// <summary>
    /// A text message from <paramref name="userId"/> in the group <paramref name="chatId"/> (a supergroup).
    /// In a forum with a <paramref name="threadId"/> it is a topic message and, unless it replies to something
    /// else, replies to the topic's creation message, as Telegram sends it.
    /// </summary>
    /// <param name="replyToMessageId">A message of the bot's this one replies to (the way agents answer a ticket card).</param>
    public static string GroupText(long updateId, long chatId, long userId, string text, int? threadId = null, int? replyToMessageId = null, bool isForum = false)
    {
        var message = new JsonObject { ["message_id"] = DefaultMessageId(updateId) };
        if (threadId is { } thread)
        {
            message["message_thread_id"] = thread;
            if (isForum)
            {
                message["is_topic_message"] = true;
            }
        }

        message["from"] = User(userId, "Alice", "alice");
        message["chat"] = GroupChat(chatId, isForum);
        message["date"] = Now();
        message["text"] = text;
        AddCommandEntity(message, text);

        if (replyToMessageId is { } replyTo)
        {
            var replied = new JsonObject { ["message_id"] = replyTo };
            if (threadId is { } repliedThread)
            {
                replied["message_thread_id"] = repliedThread;
            }

            replied["from"] = BotUser();
            replied["chat"] = GroupChat(chatId, isForum);
            replied["date"] = Now() - 60;
            replied["text"] = "…";
            message["reply_to_message"] = replied;
        }
        else if (isForum && threadId is { } topic)
        {
            message["reply_to_message"] = new JsonObject
            {
                ["message_id"] = topic,
                ["message_thread_id"] = topic,
                ["from"] = BotUser(),
                ["chat"] = GroupChat(chatId, isForum),
                ["date"] = Now() - 60,
                ["forum_topic_created"] = new JsonObject { ["name"] = "Topic", ["icon_color"] = 0x6FB9F0 },
                ["is_topic_message"] = true,
            };
        }

        return Update(updateId, "message", message);
    }

    private static string Update(long updateId, string kind, JsonObject payload) =>
        new JsonObject { ["update_id"] = updateId, [kind] = payload }.ToJsonString();

    private static JsonObject User(long userId, string firstName, string? username)
    {
        var user = new JsonObject
        {
            ["id"] = userId,
            ["is_bot"] = false,
            ["first_name"] = firstName,
        };
        if (username is not null)
        {
            user["username"] = username;
        }

        user["language_code"] = "en";
        return user;
    }

    private static JsonObject BotUser() => new()
    {
        ["id"] = DefaultBotUserId,
        ["is_bot"] = true,
        ["first_name"] = FakeTelegramServer.BotFirstName,
        ["username"] = FakeTelegramServer.BotUsername,
    };

    private static JsonObject PrivateChat(long userId, string firstName, string? username)
    {
        var chat = new JsonObject
        {
            ["id"] = userId,
            ["first_name"] = firstName,
        };
        if (username is not null)
        {
            chat["username"] = username;
        }

        chat["type"] = "private";
        return chat;
    }

    private static JsonObject GroupChat(long chatId, bool isForum)
    {
        var chat = new JsonObject
        {
            ["id"] = chatId,
            ["title"] = "Support group",
            ["type"] = "supergroup",
        };
        if (isForum)
        {
            chat["is_forum"] = true;
        }

        return chat;
    }

    /// <summary>Telegram marks a leading /command (with an optional @botname) as a bot_command entity.</summary>
    private static void AddCommandEntity(JsonObject message, string text)
    {
        if (!text.StartsWith('/') || text.Length < 2)
        {
            return;
        }

        var end = text.IndexOfAny([' ', '\n', '\t']);
        message["entities"] = new JsonArray(new JsonObject
        {
            ["offset"] = 0,
            ["length"] = end < 0 ? text.Length : end,
            ["type"] = "bot_command",
        });
    }

    private static int DefaultMessageId(long updateId) => (int)(Math.Abs(updateId) % 1_000_000_000) + 1;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
