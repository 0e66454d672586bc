using System.Globalization;
using System.Text.Json;
using Dev2Prod.Core.Telegram.Outbox;
using StackExchange.Redis;

namespace Dev2Prod.Core.Telegram.Simulator;

/// <summary>
/// A simulated chat's transcript in Redis: one stream per chat (<see cref="SimulatedChats.StreamKey"/>), read live
/// by the dashboard with a cursor. Capped and expiring: it is test traffic, the database keeps the real record.
/// </summary>
public sealed class SimulatorStream(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Next message id of the chat (Telegram numbers a private chat's messages from both sides with one sequence).</summary>
    public async Task<int> NextMessageIdAsync(long chatId) =>
        checked((int)await redis.GetDatabase().StringIncrementAsync(SimulatedChats.MessageIdKey(chatId)));

    /// <summary>Next simulated update id: negative and rising, so it never meets a real (positive) update id in the inbox.</summary>
    public async Task<int> NextUpdateIdAsync()
    {
        var n = await redis.GetDatabase().StringIncrementAsync(SimulatedChats.UpdateIdKey);
        return checked((int)(int.MinValue + n));
    }

    public Task AppendAsync(long chatId, string kind, params (string Field, string? Value)[] fields)
    {
        var entries = new List<NameValueEntry>
        {
            new(SimulatorFields.Kind, kind),
            new(SimulatorFields.At, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        };
        entries.AddRange(fields.Where(f => f.Value is not null).Select(f => new NameValueEntry(f.Field, f.Value)));

        var db = redis.GetDatabase();
        var key = SimulatedChats.StreamKey(chatId);
        var batch = db.CreateBatch();
        var add = batch.StreamAddAsync(key, [.. entries], maxLength: SimulatedChats.StreamMaxLength, useApproximateMaxLength: true);
        var expire = batch.KeyExpireAsync(key, SimulatedChats.StreamLifetime);
        var expireIds = batch.KeyExpireAsync(SimulatedChats.MessageIdKey(chatId), SimulatedChats.StreamLifetime);
        batch.Execute();
        return Task.WhenAll(add, expire, expireIds);
    }

    /// <summary>Entries after <paramref name="afterId"/> ("0" for the whole transcript), oldest first.</summary>
    public async Task<IReadOnlyList<StreamEntry>> ReadAsync(long chatId, string afterId, int count = 200)
    {
        var entries = await redis.GetDatabase().StreamReadAsync(SimulatedChats.StreamKey(chatId), afterId, count);
        return entries;
    }

    /// <summary>Forgets the transcript (the database keeps the conversation like any other).</summary>
    public Task ClearAsync(long chatId) => redis.GetDatabase().KeyDeleteAsync(SimulatedChats.StreamKey(chatId));

    public static string ButtonsToJson(IReadOnlyList<IReadOnlyList<OutboundButton>>? rows) =>
        rows is { Count: > 0 } ? JsonSerializer.Serialize(rows, JsonOptions) : "";

    public static IReadOnlyList<IReadOnlyList<OutboundButton>> ButtonsFromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<List<OutboundButton>>>(json, JsonOptions) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
