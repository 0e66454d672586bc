namespace Dev2Prod.Core.Domain;

public enum MessageDirection
{
    Inbound,
    Outbound,
}

public enum SenderType
{
    User,
    Bot,
    Llm,
    Agent,
}

/// <summary>Every message in and out of a conversation, with its Telegram ids.</summary>
public sealed class ConversationMessage
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public Conversation? Conversation { get; set; }
    public MessageDirection Direction { get; set; }
    public SenderType SenderType { get; set; }

    /// <summary>Text or caption; empty for media without a caption.</summary>
    public string Text { get; set; } = "";

    public long TelegramChatId { get; set; }

    /// <summary>Telegram's message id; null until an outbound message has been delivered.</summary>
    public int? TelegramMessageId { get; set; }

    /// <summary>The update that carried an inbound message.</summary>
    public long? TelegramUpdateId { get; set; }

    /// <summary>The agent who wrote it (sender type Agent).</summary>
    public int? AgentId { get; set; }

    /// <summary>Internal notes are visible to agents and the dashboard, never sent to the user.</summary>
    public bool IsInternalNote { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
