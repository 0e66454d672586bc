namespace Dev2Prod.Core.Domain;

public enum OutboxStatus
{
    Pending,
    Sending,
    Sent,
    /// <summary>Telegram refused it for good (400): logged and dropped, never retried in a storm.</summary>
    Failed,
    /// <summary>Not sent on purpose (the user blocked the bot).</summary>
    Dropped,
}

/// <summary>
/// A call to Telegram waiting to be made (the outbox). Written in the same transaction as the state change
/// that caused it, so a reply is neither lost (crash before sending: it is still pending) nor duplicated
/// (a re-handled update rolls back with its reply).
/// </summary>
public sealed class OutboundMessage
{
    public long Id { get; set; }
    public long ChatId { get; set; }
    public long? ConversationId { get; set; }
    public Conversation? Conversation { get; set; }

    /// <summary>The conversation message this call delivers; gets its Telegram message id once sent.</summary>
    public long? MessageId { get; set; }
    public ConversationMessage? Message { get; set; }

    /// <summary>Bot API method: sendMessage, editMessageText, answerCallbackQuery, sendChatAction, ...</summary>
    public string Method { get; set; } = "";

    /// <summary>The method's parameters (jsonb), see <c>OutboundPayload</c>.</summary>
    public string PayloadJson { get; set; } = "{}";

    /// <summary>Optional idempotency key: enqueueing the same key twice keeps one row (e.g. a retried LLM job).</summary>
    public string? DeduplicationKey { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>W3C traceparent of the work that queued it; the sender's span continues that trace.</summary>
    public string? TraceParent { get; set; }
}
