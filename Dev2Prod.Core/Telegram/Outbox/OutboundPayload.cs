using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dev2Prod.Core.Telegram.Outbox;

/// <summary>Bot API methods the outbox sends.</summary>
public static class OutboundMethods
{
    public const string SendMessage = "sendMessage";
    public const string EditMessageText = "editMessageText";
    public const string EditMessageReplyMarkup = "editMessageReplyMarkup";
    public const string SendDocument = "sendDocument";
    public const string SendPhoto = "sendPhoto";

    /// <summary>Copies a message (any kind: voice, video, sticker, ...) from one chat to another without a "forwarded from" header.</summary>
    public const string CopyMessage = "copyMessage";

    /// <summary>Creates a forum topic (name in Text); the sender stores its thread id in the row's conversation (agent_topic_id).</summary>
    public const string CreateForumTopic = "createForumTopic";

    /// <summary>Renames the conversation's forum topic (name in Text).</summary>
    public const string EditForumTopic = "editForumTopic";
}

/// <summary>One inline keyboard button: a callback (data) or a link (url).</summary>
public sealed record OutboundButton(string Text, string? CallbackData = null, string? Url = null)
{
    public static OutboundButton Callback(string text, string data) => new(text, CallbackData: data);

    public static OutboundButton Link(string text, string url) => new(text, Url: url);
}

/// <summary>
/// The parameters of an outbox call, stored as JSON. Our own small shape rather than Telegram.Bot's request
/// types, so stored rows stay readable and survive library upgrades.
/// </summary>
public sealed record OutboundPayload
{
    public string? Text { get; init; }

    /// <summary>HTML (the default: our texts escape &lt; &gt; &amp;) or null for plain text.</summary>
    public string? ParseMode { get; init; } = "HTML";

    public IReadOnlyList<IReadOnlyList<OutboundButton>>? InlineKeyboard { get; init; }

    /// <summary>A one-time reply keyboard with a "share my phone number" button (intake contact step).</summary>
    public string? RequestContactButton { get; init; }

    /// <summary>Remove a reply keyboard shown earlier.</summary>
    public bool RemoveReplyKeyboard { get; init; }

    /// <summary>Forum topic in a supergroup.</summary>
    public int? MessageThreadId { get; init; }

    public int? ReplyToMessageId { get; init; }

    /// <summary>The message an edit applies to.</summary>
    public int? TargetMessageId { get; init; }

    /// <summary>Telegram file id for sendDocument / sendPhoto (relaying a file Telegram already has).</summary>
    public string? FileId { get; init; }

    public bool DisableLinkPreview { get; init; } = true;

    /// <summary>copyMessage: the chat and message to copy.</summary>
    public long? FromChatId { get; init; }

    public int? SourceMessageId { get; init; }

    /// <summary>
    /// Posts into the agents' group place of the row's conversation, resolved when the row is sent (a topic may
    /// be created by an earlier row of the same queue): its forum topic when it has one, else as a reply to its
    /// card. Lets the escalation queue the topic, the card and relayed messages in one transaction.
    /// </summary>
    public bool InConversationThread { get; init; }

    /// <summary>The sent message becomes the conversation's card in the agents' group (agent_card_message_id).</summary>
    public bool IsAgentCard { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static OutboundPayload FromJson(string json) =>
        JsonSerializer.Deserialize<OutboundPayload>(json, JsonOptions) ?? throw new JsonException("empty outbound payload");
}
