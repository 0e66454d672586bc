namespace Dev2Prod.Core.Domain;

public enum ConversationStatus
{
    /// <summary>The bot answers.</summary>
    Bot,
    /// <summary>Escalated; no agent has claimed it yet.</summary>
    WaitingForAgent,
    /// <summary>An agent owns it; the bot stays quiet.</summary>
    Claimed,
    Closed,
}

/// <summary>One support conversation in a private chat. A chat has at most one open conversation.</summary>
public sealed class Conversation
{
    public long Id { get; set; }
    public long TelegramUserId { get; set; }
    public TelegramUser? TelegramUser { get; set; }
    public long ChatId { get; set; }
    public ConversationStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastMessageAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    // Handoff
    public string? EscalationReason { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
    public int? AssignedAgentId { get; set; }
    public Agent? AssignedAgent { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? FirstAgentReplyAt { get; set; }

    /// <summary>Forum topic (message_thread_id) of this conversation in the agents' group, when topics are on.</summary>
    public int? AgentTopicId { get; set; }

    /// <summary>The card message in the agents' group (plain groups: agents reply to it).</summary>
    public int? AgentCardMessageId { get; set; }

    /// <summary>
    /// When the agents' group is reminded of this conversation if nobody has claimed it (null: no reminder due).
    /// Set on escalation and release, moved on by each reminder.
    /// </summary>
    public DateTimeOffset? ClaimReminderDueAt { get; set; }

    /// <summary>Reminders sent while the conversation waited (the user is told only on the first).</summary>
    public int ClaimRemindersSent { get; set; }

    /// <summary>Customer satisfaction, 1-5, asked when the conversation is closed by an agent.</summary>
    public int? CsatRating { get; set; }

    /// <summary>
    /// The session (current flow and step, last intent, counters) as JSON. Redis holds the hot copy with a
    /// sliding TTL; this column is what a conversation continues from when that copy has expired.
    /// </summary>
    public string SessionJson { get; set; } = "{}";

    public List<ConversationMessage> Messages { get; set; } = [];

    public bool IsOpen => Status != ConversationStatus.Closed;
}
