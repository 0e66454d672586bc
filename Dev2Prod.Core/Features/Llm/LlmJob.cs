using System.Globalization;
using StackExchange.Redis;

namespace Dev2Prod.Core.Features.Llm;

/// <summary>
/// A question for the language model, as an entry of the Redis stream <see cref="LlmStreams.Jobs"/>. Keyed by
/// the Telegram update that carried the question: the reply's outbox deduplication key and the quota
/// reservation derive from it, so an update handled twice or a job delivered twice answers once.
/// </summary>
public sealed record LlmJob
{
    public required long UpdateId { get; init; }
    public required long ChatId { get; init; }
    public required long TelegramUserId { get; init; }
    public required string Question { get; init; }

    /// <summary>W3C traceparent of the update's span, so the Worker's span continues the trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Fallbacks in a row in the conversation when the question came (two: the knowledge-base path escalates).</summary>
    public int ConsecutiveFallbacks { get; init; }

    /// <summary>1 for the first attempt; a retried job is added again with the next number.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Unix milliseconds before which a retried job is not tried (back-off).</summary>
    public long NotBeforeUnixMs { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>Deduplication key of the reply's first message in the outbox.</summary>
    public string ReplyKey => $"llm:{UpdateId}";

    public NameValueEntry[] ToStreamFields() =>
    [
        new("update_id", UpdateId),
        new("chat_id", ChatId),
        new("user_id", TelegramUserId),
        new("question", Question),
        new("traceparent", TraceParent ?? ""),
        new("fallbacks", ConsecutiveFallbacks),
        new("attempt", Attempt),
        new("not_before", NotBeforeUnixMs),
        new("enqueued_at", EnqueuedAt.ToUnixTimeMilliseconds()),
    ];

    /// <summary>Reads a stream entry; null when a required field is missing or malformed (a poison entry).</summary>
    public static LlmJob? FromStreamFields(NameValueEntry[] fields)
    {
        var map = fields.ToDictionary(f => (string)f.Name!, f => (string?)f.Value);
        if (!TryLong(map, "update_id", out var updateId) || !TryLong(map, "chat_id", out var chatId)
            || !TryLong(map, "user_id", out var userId) || map.GetValueOrDefault("question") is not { Length: > 0 } question)
        {
            return null;
        }

        TryLong(map, "fallbacks", out var fallbacks);
        TryLong(map, "attempt", out var attempt);
        TryLong(map, "not_before", out var notBefore);
        TryLong(map, "enqueued_at", out var enqueuedAt);
        return new LlmJob
        {
            UpdateId = updateId,
            ChatId = chatId,
            TelegramUserId = userId,
            Question = question,
            TraceParent = map.GetValueOrDefault("traceparent") is { Length: > 0 } tp ? tp : null,
            ConsecutiveFallbacks = (int)fallbacks,
            Attempt = Math.Max(1, (int)attempt),
            NotBeforeUnixMs = notBefore,
            EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(enqueuedAt),
        };
    }

    private static bool TryLong(Dictionary<string, string?> map, string key, out long value)
    {
        value = 0;
        return map.GetValueOrDefault(key) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>Redis names of the job queue.</summary>
public static class LlmStreams
{
    public const string Jobs = "dev2prod:llm:jobs";
    public const string Group = "llm-workers";
    public const string DeadLetter = "dev2prod:llm:dead";

    /// <summary>Published after an enqueue so idle consumers read at once instead of at their next poll.</summary>
    public const string Signal = "dev2prod:llm:jobs:signal";

    /// <summary>Streams are trimmed (approximately) to this many entries; handled entries are history only.</summary>
    public const int MaxLength = 100_000;
}

/// <summary>Adds jobs to the stream. Used by the Api (new questions) and the Worker (retries).</summary>
public sealed class LlmJobQueue(IConnectionMultiplexer redis)
{
    public async Task<string> EnqueueAsync(LlmJob job)
    {
        var db = redis.GetDatabase();
        var id = await db.StreamAddAsync(LlmStreams.Jobs, job.ToStreamFields(), maxLength: LlmStreams.MaxLength, useApproximateMaxLength: true);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(LlmStreams.Signal), "1", CommandFlags.FireAndForget);
        return id.ToString();
    }
}
