using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dev2Prod.Core.Features.Llm;

/// <summary>Result of asking for room for one model call.</summary>
public enum QuotaDecision
{
    Reserved,
    SessionQuotaExceeded,
    UserQuotaExceeded,
    BudgetExceeded,
}

/// <summary>
/// Per-session and per-user-per-day question quotas and the hard daily budget, kept in Redis and checked
/// atomically by Lua scripts: a call first reserves its estimated (upper-bound) cost, then settles with the
/// real usage from the response, or releases the reservation when it was never answered. Because check and
/// reservation are one script, any number of Workers racing can never push the day's spend past the budget.
/// Money is kept as integer micro-dollars so Redis adds exactly.
/// </summary>
public sealed class LlmQuota(IConnectionMultiplexer redis, IOptionsMonitor<LlmOptions> options, TimeProvider time)
{
    /// <summary>Written by the dashboard's admin page: a decimal in invariant culture, takes effect for the next job.</summary>
    public const string BudgetOverrideKey = "dev2prod:llm:daily-budget-usd";

    private const string KeyPrefix = "dev2prod:llm:";
    private static readonly TimeSpan DayKeyLifetime = TimeSpan.FromDays(2);
    private static readonly TimeSpan SessionKeyLifetime = TimeSpan.FromDays(7);

    // KEYS: reservation, session counter, user-day counter, spent-today, budget override.
    // ARGV: session limit, user limit, default budget (micro-USD), estimate (micro-USD), day TTL s, session TTL s.
    private static readonly LuaScript ReserveScript = LuaScript.Prepare("""
        if redis.call('EXISTS', @reservation) == 1 then
          return {0, tonumber(redis.call('GET', @spent) or '0')}
        end
        local session = tonumber(redis.call('GET', @session) or '0')
        if session >= tonumber(@sessionLimit) then return {1, 0} end
        local user = tonumber(redis.call('GET', @user) or '0')
        if user >= tonumber(@userLimit) then return {2, 0} end
        local budget = tonumber(@defaultBudget)
        local override = redis.call('GET', @budgetOverride)
        if override and tonumber(override) then budget = math.floor(tonumber(override) * 1000000) end
        local spent = tonumber(redis.call('GET', @spent) or '0')
        local estimate = tonumber(@estimate)
        if spent + estimate > budget then return {3, spent} end
        redis.call('INCR', @session)
        redis.call('EXPIRE', @session, tonumber(@sessionTtl))
        redis.call('INCR', @user)
        redis.call('EXPIRE', @user, tonumber(@dayTtl))
        spent = redis.call('INCRBY', @spent, estimate)
        redis.call('EXPIRE', @spent, tonumber(@dayTtl))
        redis.call('HSET', @reservation, 'estimate', estimate, 'settled', 0, 'session', @session, 'user', @user, 'spent', @spent)
        redis.call('EXPIRE', @reservation, tonumber(@dayTtl))
        return {0, spent}
        """);

    // Replaces the estimate by the real cost once; a second settle (a retried job) changes nothing.
    private static readonly LuaScript SettleScript = LuaScript.Prepare("""
        if redis.call('HGET', @reservation, 'settled') ~= '0' then return -1 end
        local estimate = tonumber(redis.call('HGET', @reservation, 'estimate'))
        local spentKey = redis.call('HGET', @reservation, 'spent')
        redis.call('HSET', @reservation, 'settled', 1)
        return redis.call('INCRBY', spentKey, tonumber(@actual) - estimate)
        """);

    // Gives back an unsettled reservation (the question was never answered): money and both counters.
    private static readonly LuaScript ReleaseScript = LuaScript.Prepare("""
        if redis.call('HGET', @reservation, 'settled') ~= '0' then return 0 end
        local estimate = tonumber(redis.call('HGET', @reservation, 'estimate'))
        redis.call('DECRBY', redis.call('HGET', @reservation, 'spent'), estimate)
        redis.call('DECR', redis.call('HGET', @reservation, 'session'))
        redis.call('DECR', redis.call('HGET', @reservation, 'user'))
        redis.call('DEL', @reservation)
        return 1
        """);

    /// <summary>Reserves room for one call of the job keyed <paramref name="jobKey"/>; idempotent per key.</summary>
    public async Task<QuotaDecision> ReserveAsync(string jobKey, long conversationId, long telegramUserId, decimal estimatedCostUsd)
    {
        var current = options.CurrentValue;
        var day = Today();
        var result = (RedisResult[])(await ReserveScript.EvaluateAsync(redis.GetDatabase(), new
        {
            reservation = (RedisKey)ReservationKey(jobKey),
            session = (RedisKey)$"{KeyPrefix}quota:session:{conversationId}",
            user = (RedisKey)$"{KeyPrefix}quota:user:{telegramUserId}:{day}",
            spent = (RedisKey)SpentKey(day),
            budgetOverride = (RedisKey)BudgetOverrideKey,
            sessionLimit = current.SessionQuota,
            userLimit = current.UserDailyQuota,
            defaultBudget = ToMicros(current.DailyBudgetUsd),
            estimate = Math.Max(1, ToMicros(estimatedCostUsd)),
            dayTtl = (long)DayKeyLifetime.TotalSeconds,
            sessionTtl = (long)SessionKeyLifetime.TotalSeconds,
        }))!;
        return (int)result[0] switch
        {
            0 => QuotaDecision.Reserved,
            1 => QuotaDecision.SessionQuotaExceeded,
            2 => QuotaDecision.UserQuotaExceeded,
            _ => QuotaDecision.BudgetExceeded,
        };
    }

    /// <summary>Replaces the job's estimate with its real cost (once).</summary>
    public async Task SettleAsync(string jobKey, decimal actualCostUsd) =>
        await SettleScript.EvaluateAsync(redis.GetDatabase(), new { reservation = (RedisKey)ReservationKey(jobKey), actual = ToMicros(actualCostUsd) });

    /// <summary>Returns an unsettled reservation: the question was never answered.</summary>
    public async Task ReleaseAsync(string jobKey) =>
        await ReleaseScript.EvaluateAsync(redis.GetDatabase(), new { reservation = (RedisKey)ReservationKey(jobKey) });

    /// <summary>Spent today (reservations included) in the budget's time zone.</summary>
    public async Task<decimal> SpentTodayAsync()
    {
        var value = await redis.GetDatabase().StringGetAsync(SpentKey(Today()));
        return value.TryParse(out long micros) ? micros / 1_000_000m : 0m;
    }

    /// <summary>The budget in force: the run-time override when set, else configuration.</summary>
    public async Task<decimal> DailyBudgetAsync()
    {
        var value = await redis.GetDatabase().StringGetAsync(BudgetOverrideKey);
        return value.HasValue && decimal.TryParse((string?)value, NumberStyles.Number, CultureInfo.InvariantCulture, out var budget)
            ? budget
            : options.CurrentValue.DailyBudgetUsd;
    }

    /// <summary>The day quotas and budget belong to, e.g. 2026-11-26, turning at midnight in the configured zone.</summary>
    public string Today() => TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.CurrentValue.TimeZone()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Redis key of the day's spend in micro-dollars (the dashboard reads it too).</summary>
    public static string SpentKey(string day) => $"{KeyPrefix}spent:{day}";

    private static string ReservationKey(string jobKey) => $"{KeyPrefix}reservation:{jobKey}";

    private static long ToMicros(decimal usd) => (long)Math.Ceiling(usd * 1_000_000m);
}
