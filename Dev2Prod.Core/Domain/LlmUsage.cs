namespace Dev2Prod.Core.Domain;

/// <summary>One call to the language model, for cost control and the spend dashboard.</summary>
public sealed class LlmUsage
{
    public long Id { get; set; }
    public long? ConversationId { get; set; }
    public long? TelegramUserId { get; set; }
    public string Model { get; set; } = "";
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public decimal CostUsd { get; set; }
    public int LatencyMs { get; set; }

    /// <summary>success, error, timeout, rejected_quota, rejected_budget.</summary>
    public string Outcome { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
