namespace Dev2Prod.Core.Domain;

public enum LeadScore
{
    Cold,
    Warm,
    Hot,
}

public enum LeadStatus
{
    New,
    Contacted,
    Qualified,
    Won,
    Lost,
}

/// <summary>A qualified project enquiry produced by the intake flow.</summary>
public sealed class Lead
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public Conversation? Conversation { get; set; }
    public long TelegramUserId { get; set; }

    /// <summary>Project type chosen in step 1 (web, mobile, mvp, ai, devops, other).</summary>
    public string Category { get; set; } = "";

    /// <summary>The intake answers as JSON (stored as jsonb).</summary>
    public string AnswersJson { get; set; } = "{}";

    /// <summary>0-100.</summary>
    public int Score { get; set; }
    public LeadScore ScoreBand { get; set; }

    /// <summary>Points per factor as JSON, so the score is explainable.</summary>
    public string ScoreBreakdownJson { get; set; } = "[]";

    public LeadStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
