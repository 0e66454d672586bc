using System.Globalization;
using Dev2Prod.Admin.Data;
using Dev2Prod.Admin.Features.Audit;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Llm;
using StackExchange.Redis;

namespace Dev2Prod.Admin.Features.Llm;

/// <summary>
/// The LLM's daily budget as operators set it: a Redis string (decimal, invariant culture) the LLM feature reads
/// before each job, over <c>Llm:DailyBudgetUsd</c> from configuration. Changing it takes effect at the next job,
/// with no restart; every change is audit-logged.
/// </summary>
public sealed class LlmBudget(IConnectionMultiplexer redis, IConfiguration configuration, DbAccess db, TimeProvider time)
{
    public const string RedisKey = LlmQuota.BudgetOverrideKey;
    public const string ConfigurationKey = "Llm:DailyBudgetUsd";
    public const decimal MaxBudgetUsd = 100_000m;

    /// <summary>The effective budget and where it comes from ("dashboard", "configuration" or none).</summary>
    public sealed record Current(decimal? BudgetUsd, string Source);

    public async Task<Current> GetAsync()
    {
        var stored = await redis.GetDatabase().StringGetAsync(RedisKey);
        if (TryParse(stored.ToString(), out var fromDashboard))
        {
            return new Current(fromDashboard, "dashboard");
        }

        return TryParse(configuration[ConfigurationKey], out var configured)
            ? new Current(configured, "configuration")
            : new Current(null, "none");
    }

    /// <summary>Null when <paramref name="budgetUsd"/> is acceptable, else why not.</summary>
    public static string? Validate(decimal? budgetUsd) => budgetUsd switch
    {
        null => "Enter an amount in US dollars.",
        < 0 => "The budget cannot be negative.",
        > MaxBudgetUsd => $"At most {MaxBudgetUsd.ToString("N0", CultureInfo.InvariantCulture)} USD per day.",
        _ when decimal.Round(budgetUsd.Value, 2) != budgetUsd.Value => "Use at most two decimals (cents).",
        _ => null,
    };

    public async Task<string?> SetAsync(decimal? budgetUsd, string actor, CancellationToken cancellationToken)
    {
        if (Validate(budgetUsd) is { } problem)
        {
            return problem;
        }

        var previous = await GetAsync();
        var value = budgetUsd!.Value.ToString("0.00", CultureInfo.InvariantCulture);
        await redis.GetDatabase().StringSetAsync(RedisKey, value);
        await db.QueryAsync(async (ctx, ct) =>
        {
            AuditTrail.Record(ctx, time, actor, "llm.budget.set", RedisKey,
                $"daily budget {previous.BudgetUsd?.ToString("0.00", CultureInfo.InvariantCulture) ?? "unset"} -> {value} USD");
            return await ctx.SaveChangesAsync(ct);
        }, cancellationToken);
        return null;
    }

    private static bool TryParse(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value) && value >= 0;
}
