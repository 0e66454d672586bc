using Dev2Prod.Admin.Data;
using Dev2Prod.Core.Telegram.Simulator;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Admin.Features.Llm;

public sealed record DailySpend(DateOnly Day, decimal CostUsd, int Calls, int Succeeded, int Failed, int RejectedQuota, int RejectedBudget);

public sealed record UserSpend(long TelegramUserId, string Name, bool IsTestCustomer, decimal CostUsd, int Calls, int Rejected);

public sealed record LlmUsageFigures(IReadOnlyList<DailySpend> Days, IReadOnlyList<UserSpend> TopUsers, decimal TodayCostUsd);

/// <summary>Spend and rejections from llm_usages for the LLM usage page (days in UTC).</summary>
public sealed class LlmUsageReport(DbAccess db, TimeProvider time)
{
    public const int TopUserCount = 10;

    public Task<LlmUsageFigures> LoadAsync(int days, CancellationToken cancellationToken) => db.QueryAsync(async (ctx, ct) =>
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var since = new DateTimeOffset(today.AddDays(1 - days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var rows = await ctx.LlmUsages.Where(u => u.CreatedAt >= since)
            .GroupBy(u => new { u.CreatedAt.Year, u.CreatedAt.Month, u.CreatedAt.Day, u.Outcome })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Day, g.Key.Outcome, Cost = g.Sum(u => u.CostUsd), Calls = g.Count() })
            .ToListAsync(ct);
        var perDay = rows.GroupBy(r => new DateOnly(r.Year, r.Month, r.Day)).ToDictionary(g => g.Key, g => new DailySpend(
            g.Key,
            g.Sum(r => r.Cost),
            g.Sum(r => r.Calls),
            g.Where(r => r.Outcome == "success").Sum(r => r.Calls),
            g.Where(r => r.Outcome is "error" or "timeout").Sum(r => r.Calls),
            g.Where(r => r.Outcome == "rejected_quota").Sum(r => r.Calls),
            g.Where(r => r.Outcome == "rejected_budget").Sum(r => r.Calls)));
        var series = Enumerable.Range(0, days).Select(i => today.AddDays(-i))
            .Select(day => perDay.GetValueOrDefault(day) ?? new DailySpend(day, 0, 0, 0, 0, 0, 0)).ToList();

        var top = await ctx.LlmUsages.Where(u => u.CreatedAt >= since && u.TelegramUserId != null)
            .GroupBy(u => u.TelegramUserId!.Value)
            .Select(g => new
            {
                UserId = g.Key,
                Cost = g.Sum(u => u.CostUsd),
                Calls = g.Count(),
                Rejected = g.Count(u => u.Outcome == "rejected_quota" || u.Outcome == "rejected_budget"),
            })
            .OrderByDescending(g => g.Cost).ThenByDescending(g => g.Calls).Take(TopUserCount)
            .ToListAsync(ct);
        var ids = top.Select(t => t.UserId).ToList();
        var names = await ctx.TelegramUsers.Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.FirstName, u.LastName, u.Username }).ToDictionaryAsync(u => u.Id, ct);
        var topUsers = top.Select(t => new UserSpend(
            t.UserId,
            names.TryGetValue(t.UserId, out var n) ? $"{n.FirstName} {n.LastName}".Trim() + (n.Username is null ? "" : $" (@{n.Username})") : "unknown",
            SimulatedChats.Contains(t.UserId),
            t.Cost,
            t.Calls,
            t.Rejected)).ToList();

        return new LlmUsageFigures(series, topUsers, series.FirstOrDefault(d => d.Day == today)?.CostUsd ?? 0);
    }, cancellationToken);
}
