namespace Dev2Prod.Core.Domain;

public enum InboxStatus
{
    Pending,
    Processing,
    Done,
    Failed,
}

/// <summary>
/// A Telegram update as received (the inbox). Recording it before answering the webhook is what makes a 2xx a
/// promise: it is handled even if the process dies right after. The update id is the primary key, so a
/// redelivered update is recorded once and handled once.
/// </summary>
public sealed class InboundUpdate
{
    public long UpdateId { get; set; }

    /// <summary>The chat the update belongs to; updates of one chat are handled in order, one at a time.</summary>
    public long? ChatId { get; set; }

    /// <summary>message, callback_query, my_chat_member, ... (for metrics and debugging; no personal data).</summary>
    public string Kind { get; set; } = "";

    /// <summary>The raw update JSON (jsonb). Contains personal data: purged after the retention period.</summary>
    public string PayloadJson { get; set; } = "{}";
    public InboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Lease of the processor that claimed it; after it passes, another processor may take over.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>Exception type of the last failure (never message text, which may carry personal data).</summary>
    public string? LastError { get; set; }

    /// <summary>
    /// W3C traceparent of the webhook request that recorded it, so handling the update (later, maybe in another
    /// replica) continues the same trace.
    /// </summary>
    public string? TraceParent { get; set; }
}
