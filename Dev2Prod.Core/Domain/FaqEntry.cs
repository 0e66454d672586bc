namespace Dev2Prod.Core.Domain;

/// <summary>One knowledge-base topic: the canned answer and the phrasings the classifier learns from.</summary>
public sealed class FaqEntry
{
    /// <summary>Stable topic id (e.g. <c>pricing</c>); the intent is <c>faq.{Id}</c>.</summary>
    public string Id { get; set; } = "";
    public string Category { get; set; } = "";
    public string Title { get; set; } = "";

    /// <summary>Answer in Telegram HTML parse mode.</summary>
    public string Answer { get; set; } = "";
    public List<string> Phrasings { get; set; } = [];
    public List<string> Keywords { get; set; } = [];

    /// <summary>Inline buttons as JSON: <c>[{"text": "...", "action": "..."}]</c>.</summary>
    public string ButtonsJson { get; set; } = "[]";
    public bool IsEnabled { get; set; } = true;
    public int SortOrder { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who last edited it; null for the seed.</summary>
    public string? UpdatedBy { get; set; }
}
