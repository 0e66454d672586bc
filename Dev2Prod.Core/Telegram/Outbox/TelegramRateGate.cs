using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dev2Prod.Core.Telegram.Outbox;

/// <summary>
/// Telegram's send limits as token buckets in Redis, shared by every sender replica: one bucket for the bot
/// overall (30/s), one per chat (about 1/s for private chats with a small burst, 20/min for groups). A send
/// takes a token from both buckets atomically, or learns how long to wait; it never sleeps holding a worker.
/// </summary>
public sealed class TelegramRateGate(IConnectionMultiplexer redis, IOptionsMonitor<TelegramOptions> options, TimeProvider time)
{
    // KEYS: global bucket, chat bucket. ARGV: now (ms), global rate (tokens/ms), global burst, chat rate, chat burst.
    // Returns 0 when both tokens were taken, else the milliseconds to wait (nothing is taken then).
    private const string Script = """
        local now = tonumber(ARGV[1])
        local function level(key, rate, burst)
          local data = redis.call('HMGET', key, 't', 'ts')
          local tokens = tonumber(data[1])
          local ts = tonumber(data[2])
          if tokens == nil then return burst, now end
          if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate) end
          return tokens, math.max(now, ts)
        end
        local gRate, gBurst = tonumber(ARGV[2]), tonumber(ARGV[3])
        local cRate, cBurst = tonumber(ARGV[4]), tonumber(ARGV[5])
        local g, gts = level(KEYS[1], gRate, gBurst)
        local c, cts = level(KEYS[2], cRate, cBurst)
        if g >= 1 and c >= 1 then
          redis.call('HSET', KEYS[1], 't', g - 1, 'ts', gts)
          redis.call('PEXPIRE', KEYS[1], math.ceil(gBurst / gRate) + 1000)
          redis.call('HSET', KEYS[2], 't', c - 1, 'ts', cts)
          redis.call('PEXPIRE', KEYS[2], math.ceil(cBurst / cRate) + 1000)
          return 0
        end
        local wait = 0
        if g < 1 then wait = math.max(wait, math.ceil((1 - g) / gRate)) end
        if c < 1 then wait = math.max(wait, math.ceil((1 - c) / cRate)) end
        return wait
        """;

    /// <summary>Takes a send token for <paramref name="chatId"/>; returns zero, or how long to wait first.</summary>
    public async Task<TimeSpan> TryAcquireAsync(long chatId)
    {
        var limits = options.CurrentValue.Sending;
        var isGroup = chatId < 0;
        var chatRatePerMs = isGroup ? limits.PerGroupPerMinute / 60_000.0 : limits.PerChatPerSecond / 1000.0;
        var chatBurst = isGroup ? Math.Min(limits.PerChatBurst, limits.PerGroupPerMinute) : limits.PerChatBurst;
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [(RedisKey)"dev2prod:tg-rate:global", (RedisKey)$"dev2prod:tg-rate:chat:{chatId}"],
            [
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                limits.GlobalPerSecond / 1000.0, limits.GlobalPerSecond,
                chatRatePerMs, chatBurst,
            ]);
        return TimeSpan.FromMilliseconds((long)result);
    }
}
