using System.Text.Json;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>
/// Per-conversation state that flows need between messages: the active flow and step (e.g. intake, step
/// "budget"), answers collected so far, the last intent and counters. Kept in Redis (1-hour sliding TTL) and
/// mirrored in the conversation row, so it survives the cache expiring and restarts.
/// </summary>
public sealed class ConversationSession
{
    /// <summary>Active multi-step flow ("intake"), or null.</summary>
    public string? Flow { get; set; }

    /// <summary>The flow's current step.</summary>
    public string? Step { get; set; }

    /// <summary>Values collected by the flow (answers, ids of messages to edit).</summary>
    public Dictionary<string, string> Data { get; set; } = [];

    public string? LastIntent { get; set; }

    /// <summary>Fallback answers in a row (two trigger a handoff offer).</summary>
    public int ConsecutiveFallbacks { get; set; }

    /// <summary>Incoming messages in this conversation (for per-session quotas).</summary>
    public int Turns { get; set; }

    /// <summary>Incremented on every save, so a stale cache copy never wins over a newer stored one.</summary>
    public long Version { get; set; }

    public void StartFlow(string flow, string step)
    {
        Flow = flow;
        Step = step;
        Data.Clear();
    }

    public void EndFlow()
    {
        Flow = null;
        Step = null;
        Data.Clear();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ConversationSession FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new ConversationSession();
        }

        try
        {
            return JsonSerializer.Deserialize<ConversationSession>(json, JsonOptions) ?? new ConversationSession();
        }
        catch (JsonException)
        {
            // A session written by an incompatible version: start clean rather than fail the conversation.
            return new ConversationSession();
        }
    }
}
