using System.Globalization;
using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Observability;
using Dev2Prod.Core.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dev2Prod.Api.Features.RateLimiting;

/// <summary>
/// Per-user message limits (<c>Telegram:UserLimits</c>: 60 an hour, 500 a day), counted in Redis so every
/// replica sees the same count. Windows are calendar hours and days in UTC. The first message over a limit
/// gets one polite notice saying when the user can write again; later ones in the same window get nothing.
/// Agents are exempt.
/// </summary>
public sealed partial class UserRateLimiter(
    IConnectionMultiplexer redis,
    IOptionsMonitor<TelegramOptions> options,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<UserRateLimiter> logger)
{
    // KEYS: hour counter, day counter. ARGV: hour TTL s, day TTL s. Returns {hourCount, dayCount}.
    private const string CountScript = """
        local h = redis.call('INCR', KEYS[1])
        if h == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
        local d = redis.call('INCR', KEYS[2])
        if d == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
        return {h, d}
        """;

    /// <summary>Counts the turn's message; false when it is over a limit (a notice may have been queued).</summary>
    public async Task<bool> AllowAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var user = turn.User!;
        if (await IsAgentAsync(turn, user.Id, cancellationToken))
        {
            return true;
        }

        var decision = await CountAsync(user.Id);
        if (decision.Allowed)
        {
            return true;
        }

        metrics.RateLimitExceeded("user");
        if (await ClaimNoticeAsync(decision, user.Id))
        {
            var minutes = (int)Math.Ceiling((decision.ResetsAt - time.GetUtcNow()).TotalMinutes);
            var wait = minutes >= 120
                ? $"after {decision.ResetsAt:HH:mm} UTC"
                : $"in about {minutes} minute{(minutes == 1 ? "" : "s")}";
            turn.Replies.Text(
                $"You've sent a lot of messages in a short time, so I'm pausing for a bit. You can write again {wait}. " +
                "If it's urgent, email us at hello@dev2production.tech.");
        }

        return false;
    }

    /// <summary>Increments the user's hour and day counters and decides (pure logic over Redis counts).</summary>
    public async Task<RateDecision> CountAsync(long userId)
    {
        var limits = options.CurrentValue.UserLimits;
        var now = time.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var dayStart = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        var hourKey = $"dev2prod:ratelimit:{userId}:h:{hourStart:yyyyMMddHH}";
        var dayKey = $"dev2prod:ratelimit:{userId}:d:{dayStart:yyyyMMdd}";
        var counts = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(CountScript,
            [(RedisKey)hourKey, (RedisKey)dayKey],
            [(long)TimeSpan.FromHours(2).TotalSeconds, (long)TimeSpan.FromDays(2).TotalSeconds]))!;
        var hourCount = (long)counts[0];
        var dayCount = (long)counts[1];

        if (dayCount > limits.MessagesPerDay)
        {
            return new RateDecision(false, "day", dayStart.AddDays(1), dayKey);
        }

        return hourCount > limits.MessagesPerHour
            ? new RateDecision(false, "hour", hourStart.AddHours(1), hourKey)
            : new RateDecision(true, null, default, null);
    }

    private async Task<bool> ClaimNoticeAsync(RateDecision decision, long telegramUserId)
    {
        var key = $"{decision.WindowKey}:noticed";
        var ttl = decision.ResetsAt - time.GetUtcNow() + TimeSpan.FromMinutes(5);
        var claimed = await redis.GetDatabase().StringSetAsync(key, "1", ttl, When.NotExists);
        LogOverLimit(logger, telegramUserId, decision.Window, claimed ? "sent" : "already sent");
        return claimed;
    }

    // The user id is pseudonymised (HMAC) in production logs: enough to see one user hammering the bot.
    [LoggerMessage(Level = LogLevel.Information, Message = "User {TelegramUserId} over the {Window} message limit; notice {Sent}")]
    private static partial void LogOverLimit(ILogger logger, [Identifier] long telegramUserId, string? window, string sent);

    private static Task<bool> IsAgentAsync(TurnContext turn, long telegramUserId, CancellationToken cancellationToken) =>
        turn.Db.Agents.AnyAsync(a => a.TelegramUserId == telegramUserId && a.IsActive, cancellationToken);
}

public sealed record RateDecision(bool Allowed, string? Window, DateTimeOffset ResetsAt, string? WindowKey)
{
    public override string ToString() => Allowed ? "allowed" : string.Create(CultureInfo.InvariantCulture, $"over {Window} limit until {ResetsAt:O}");
}
