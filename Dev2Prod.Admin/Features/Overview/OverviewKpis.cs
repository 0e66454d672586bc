using System.Globalization;
using Dev2Prod.Admin.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Llm;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Dev2Prod.Admin.Features.Overview;

/// <summary>A point of a daily series (UTC day).</summary>
public sealed record DailyPoint(DateOnly Day, double Value);

/// <summary>Everything the Overview page shows for a period of whole UTC days ending today.</summary>
public sealed record OverviewFigures(
    int Days,
    int ConversationsStarted,
    int OpenNow,
    int AnsweredWithoutHuman,
    int Escalated,
    int Leads,
    int HotLeads,
    decimal LlmCostToday,
    decimal LlmCostPeriod,
    decimal? DailyBudgetUsd,
    TimeSpan? MedianTimeToClaim,
    TimeSpan? MedianTimeToFirstAgentReply,
    TimeSpan? P95BotReplyLatency,
    double? AverageCsat,
    int CsatCount,
    IReadOnlyList<DailyPoint> ConversationsPerDay,
    IReadOnlyList<DailyPoint> LeadsPerDay,
    IReadOnlyList<DailyPoint> LlmCostPerDay)
{
    public double? HandoffRate => Share(Escalated, ConversationsStarted);
    public double? AnsweredWithoutHumanShare => Share(AnsweredWithoutHuman, ConversationsStarted);
    public double? LeadConversion => Share(Leads, ConversationsStarted);
    public double? HotShare => Share(HotLeads, Leads);
    public decimal? LlmCostPerConversation => ConversationsStarted == 0 ? null : LlmCostPeriod / ConversationsStarted;

    private static double? Share(int part, int whole) => whole == 0 ? null : (double)part / whole;
}

/// <summary>The seed KPI targets shown next to the values (from the product brief).</summary>
public static class KpiTargets
{
    public const double HandoffRateMin = 0.10;
    public const double HandoffRateMax = 0.20;
    public const double LeadConversionMin = 0.25;
    public const decimal LlmCostPerConversationMax = 0.15m;
    public static readonly TimeSpan BotReplyP95Max = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Computes the Overview KPIs from the conversations, leads, LLM usage and messages tables. Definitions:
/// "answered without a human" = started in the period, never escalated, and the bot (FAQ or LLM) replied at
/// least once; handoff rate = escalated / started; lead conversion = leads created / conversations started;
/// time to claim and to first agent reply are measured from the escalation; bot reply latency = an outbound
/// bot or LLM message minus the user message right before it in the same conversation.
/// </summary>
public sealed class OverviewKpis(DbAccess dbAccess, IConnectionMultiplexer redis, IConfiguration configuration, TimeProvider time)
{
    /// <summary>Redis string key that overrides <c>Llm:DailyBudgetUsd</c> at run time.</summary>
    public const string BudgetOverrideKey = LlmQuota.BudgetOverrideKey;

    public async Task<OverviewFigures> ComputeAsync(int days, CancellationToken cancellationToken = default)
    {
        days = Math.Clamp(days, 1, 366);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var firstDay = today.AddDays(1 - days);
        var since = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var todayStart = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var budget = await DailyBudgetAsync();

        return await dbAccess.QueryAsync(async (db, ct) =>
        {
            var started = db.Conversations.AsNoTracking().Where(c => c.StartedAt >= since);
            var conversations = await started.CountAsync(ct);
            var openNow = await db.Conversations.CountAsync(c => c.Status != ConversationStatus.Closed, ct);
            var escalated = await started.CountAsync(c => c.EscalatedAt != null, ct);
            var answeredByBot = await started.CountAsync(c => c.EscalatedAt == null && db.Messages.Any(m =>
                m.ConversationId == c.Id && m.Direction == MessageDirection.Outbound && (m.SenderType == SenderType.Bot || m.SenderType == SenderType.Llm)), ct);
            var leads = db.Leads.AsNoTracking().Where(l => l.CreatedAt >= since);
            var leadCount = await leads.CountAsync(ct);
            var hot = await leads.CountAsync(l => l.ScoreBand == LeadScore.Hot, ct);
            var usage = db.LlmUsages.AsNoTracking();
            var costToday = await usage.Where(u => u.CreatedAt >= todayStart).SumAsync(u => u.CostUsd, ct);
            var costPeriod = await usage.Where(u => u.CreatedAt >= since).SumAsync(u => u.CostUsd, ct);
            var csat = await started.Where(c => c.CsatRating != null)
                .GroupBy(_ => 1).Select(g => new { Count = g.Count(), Average = g.Average(c => (double)c.CsatRating!) })
                .SingleOrDefaultAsync(ct);

            var claim = await db.Database.SqlQuery<double?>($"""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - escalated_at)) AS "Value"
                FROM conversations WHERE started_at >= {since} AND claimed_at IS NOT NULL AND escalated_at IS NOT NULL
                """).SingleAsync(ct);
            var firstReply = await db.Database.SqlQuery<double?>($"""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_agent_reply_at - escalated_at)) AS "Value"
                FROM conversations WHERE started_at >= {since} AND first_agent_reply_at IS NOT NULL AND escalated_at IS NOT NULL
                """).SingleAsync(ct);
            // Each bot/LLM reply paired with the message right before it; only replies to a user message count.
            var botLatency = await db.Database.SqlQuery<double?>($"""
                SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - previous_at)) AS "Value"
                FROM (
                    SELECT created_at, direction, sender_type,
                           lag(created_at) OVER w AS previous_at, lag(direction) OVER w AS previous_direction,
                           lag(sender_type) OVER w AS previous_sender
                    FROM messages
                    WHERE conversation_id IN (SELECT id FROM conversations WHERE last_message_at >= {since}) AND NOT is_internal_note
                    WINDOW w AS (PARTITION BY conversation_id ORDER BY created_at, id)
                ) pairs
                WHERE created_at >= {since} AND direction = 'Outbound' AND sender_type IN ('Bot', 'Llm')
                  AND previous_direction = 'Inbound' AND previous_sender = 'User'
                """).SingleAsync(ct);

            var perDay = await db.Database.SqlQuery<DayValue>($"""
                SELECT (started_at AT TIME ZONE 'UTC')::date AS "Day", count(*)::float8 AS "Value"
                FROM conversations WHERE started_at >= {since} GROUP BY 1
                """).ToListAsync(ct);
            var leadsPerDay = await db.Database.SqlQuery<DayValue>($"""
                SELECT (created_at AT TIME ZONE 'UTC')::date AS "Day", count(*)::float8 AS "Value"
                FROM leads WHERE created_at >= {since} GROUP BY 1
                """).ToListAsync(ct);
            var costPerDay = await db.Database.SqlQuery<DayValue>($"""
                SELECT (created_at AT TIME ZONE 'UTC')::date AS "Day", sum(cost_usd)::float8 AS "Value"
                FROM llm_usages WHERE created_at >= {since} GROUP BY 1
                """).ToListAsync(ct);

            IReadOnlyList<DailyPoint> Series(Func<DateOnly, double> valueOf) =>
                Enumerable.Range(0, days).Select(i => firstDay.AddDays(i)).Select(d => new DailyPoint(d, valueOf(d))).ToList();

            return new OverviewFigures(
                days, conversations, openNow, answeredByBot, escalated, leadCount, hot, costToday, costPeriod, budget,
                Seconds(claim), Seconds(firstReply), Seconds(botLatency), csat?.Average, csat?.Count ?? 0,
                Series(d => perDay.Where(p => p.Day == d).Sum(p => p.Value)),
                Series(d => leadsPerDay.Where(p => p.Day == d).Sum(p => p.Value)),
                Series(d => costPerDay.Where(p => p.Day == d).Sum(p => p.Value)));
        }, cancellationToken);
    }

    /// <summary>The Redis override when set and valid, else the configured value, else none.</summary>
    private async Task<decimal?> DailyBudgetAsync()
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(BudgetOverrideKey);
            if (value.HasValue && decimal.TryParse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var overridden) && overridden >= 0)
            {
                return overridden;
            }
        }
        catch (RedisException)
        {
            // Fall back to the configured budget.
        }

        return decimal.TryParse(configuration["Llm:DailyBudgetUsd"], NumberStyles.Number, CultureInfo.InvariantCulture, out var configured) ? configured : null;
    }

    private sealed class DayValue
    {
        public DateOnly Day { get; set; }
        public double Value { get; set; }
    }

    private static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;
}
