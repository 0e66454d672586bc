using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Dev2Prod.Admin.Features.Conversations;

/// <summary>Filters of the conversations grid; null means "any".</summary>
public sealed record ConversationFilter
{
    public ConversationStatus? Status { get; init; }
    public bool? Escalated { get; init; }
    public bool? HasLead { get; init; }

    /// <summary>First day (UTC) the conversation may have started on.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day (UTC), inclusive.</summary>
    public DateOnly? To { get; init; }
    public int? AgentId { get; init; }

    /// <summary>Words to find in the messages (Postgres full-text, every word must occur).</summary>
    public string? Search { get; init; }

    /// <summary>True when no filter is set.</summary>
    public bool IsEmpty => this == new ConversationFilter();
}

/// <summary>The columns a grid may sort by; anything else falls back to the newest activity first.</summary>
public enum ConversationSort
{
    LastMessageAt,
    StartedAt,
    Status,
    Id,
}

public sealed record ConversationRow(
    long Id,
    string Customer,
    string? Username,
    ConversationStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastMessageAt,
    DateTimeOffset? EscalatedAt,
    string? AgentName,
    LeadScore? LeadBand);

public sealed record TranscriptMessage(
    long Id,
    MessageDirection Direction,
    SenderType Sender,
    string Text,
    bool IsInternalNote,
    bool Delivered,
    string? AgentName,
    DateTimeOffset CreatedAt);

public sealed record ConversationDetail(
    long Id,
    ConversationStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastMessageAt,
    DateTimeOffset? ClosedAt,
    string? EscalationReason,
    DateTimeOffset? EscalatedAt,
    int? AssignedAgentId,
    string? AgentName,
    DateTimeOffset? ClaimedAt,
    int? CsatRating,
    TelegramUser Customer,
    Lead? Lead,
    IReadOnlyList<Attachment> Attachments,
    IReadOnlyList<TranscriptMessage> Messages,
    int TotalMessages);

/// <summary>
/// The read side of the conversations pages: one server-side page of the grid, and one conversation in full.
/// Every query is a single round trip shaped for the indexes (status + last_message_at, started_at, the
/// messages' search_vector GIN), so the page stays fast with millions of messages.
/// </summary>
public static class ConversationQueries
{
    /// <summary>How many messages the detail view shows (the newest); older ones stay searchable.</summary>
    public const int TranscriptLimit = 500;

    public static IQueryable<Conversation> Filtered(BotDbContext db, ConversationFilter filter)
    {
        var query = db.Conversations.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (filter.Escalated is { } escalated)
        {
            query = escalated ? query.Where(c => c.EscalatedAt != null) : query.Where(c => c.EscalatedAt == null);
        }

        if (filter.HasLead is { } hasLead)
        {
            query = hasLead
                ? query.Where(c => db.Leads.Any(l => l.ConversationId == c.Id))
                : query.Where(c => !db.Leads.Any(l => l.ConversationId == c.Id));
        }

        if (filter.From is { } from)
        {
            var since = StartOfDay(from);
            query = query.Where(c => c.StartedAt >= since);
        }

        if (filter.To is { } to)
        {
            var until = StartOfDay(to.AddDays(1));
            query = query.Where(c => c.StartedAt < until);
        }

        if (filter.AgentId is { } agentId)
        {
            query = query.Where(c => c.AssignedAgentId == agentId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // plainto_tsquery: whatever the user types is words, never query syntax, so no input can fail the query.
            var search = filter.Search.Trim();
            query = query.Where(c => db.Messages.Any(m => m.ConversationId == c.Id
                && EF.Property<NpgsqlTsVector>(m, "SearchVector").Matches(EF.Functions.PlainToTsQuery("simple", search))));
        }

        return query;
    }

    /// <summary>
    /// A search for a common word matches most conversations; counting them all would cost more than the page
    /// itself, so searches count up to this many and the page says "more than".
    /// </summary>
    public const int SearchCountCap = 1000;

    /// <summary>One page of the grid; with a search, <c>Total</c> stops at <see cref="SearchCountCap"/> + 1.</summary>
    public static async Task<(IReadOnlyList<ConversationRow> Rows, int Total)> PageAsync(
        BotDbContext db, ConversationFilter filter, ConversationSort sort, bool descending, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        var query = Filtered(db, filter);
        var total = string.IsNullOrWhiteSpace(filter.Search)
            ? await query.CountAsync(cancellationToken)
            : await query.Take(SearchCountCap + 1).CountAsync(cancellationToken);
        IOrderedQueryable<Conversation> ordered = (sort, descending) switch
        {
            (ConversationSort.StartedAt, true) => query.OrderByDescending(c => c.StartedAt),
            (ConversationSort.StartedAt, false) => query.OrderBy(c => c.StartedAt),
            (ConversationSort.Status, true) => query.OrderByDescending(c => c.Status).ThenByDescending(c => c.LastMessageAt),
            (ConversationSort.Status, false) => query.OrderBy(c => c.Status).ThenByDescending(c => c.LastMessageAt),
            (ConversationSort.Id, true) => query.OrderByDescending(c => c.Id),
            (ConversationSort.Id, false) => query.OrderBy(c => c.Id),
            (_, false) => query.OrderBy(c => c.LastMessageAt),
            _ => query.OrderByDescending(c => c.LastMessageAt),
        };

        var rows = await ordered.ThenByDescending(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new ConversationRow(
                c.Id,
                c.TelegramUser!.LastName == null || c.TelegramUser.LastName == "" ? c.TelegramUser.FirstName : c.TelegramUser.FirstName + " " + c.TelegramUser.LastName,
                c.TelegramUser.Username,
                c.Status,
                c.StartedAt,
                c.LastMessageAt,
                c.EscalatedAt,
                c.AssignedAgent == null ? null : c.AssignedAgent.DisplayName,
                db.Leads.Where(l => l.ConversationId == c.Id).Select(l => (LeadScore?)l.ScoreBand).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    public static async Task<ConversationDetail?> DetailAsync(BotDbContext db, long id, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking()
            .Include(c => c.TelegramUser)
            .Include(c => c.AssignedAgent)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation?.TelegramUser is null)
        {
            return null;
        }

        var total = await db.Messages.CountAsync(m => m.ConversationId == id, cancellationToken);
        var agents = db.Agents.AsNoTracking();
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == id)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(TranscriptLimit)
            .Select(m => new TranscriptMessage(
                m.Id, m.Direction, m.SenderType, m.Text, m.IsInternalNote,
                m.Direction == MessageDirection.Inbound || m.TelegramMessageId != null,
                agents.Where(a => a.Id == m.AgentId).Select(a => a.DisplayName).FirstOrDefault(),
                m.CreatedAt))
            .ToListAsync(cancellationToken);
        messages.Reverse();

        var lead = await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.ConversationId == id, cancellationToken);
        var attachments = await db.Attachments.AsNoTracking().Where(a => a.ConversationId == id)
            .OrderBy(a => a.CreatedAt).ToListAsync(cancellationToken);

        return new ConversationDetail(
            conversation.Id, conversation.Status, conversation.StartedAt, conversation.LastMessageAt, conversation.ClosedAt,
            conversation.EscalationReason, conversation.EscalatedAt, conversation.AssignedAgentId, conversation.AssignedAgent?.DisplayName,
            conversation.ClaimedAt, conversation.CsatRating, conversation.TelegramUser, lead, attachments, messages, total);
    }

    /// <summary>Agents for the grid's agent filter.</summary>
    public static async Task<IReadOnlyList<Agent>> AgentsAsync(BotDbContext db, CancellationToken cancellationToken) =>
        await db.Agents.AsNoTracking().OrderBy(a => a.DisplayName).ToListAsync(cancellationToken);

    private static DateTimeOffset StartOfDay(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
