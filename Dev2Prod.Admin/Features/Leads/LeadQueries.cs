using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Intake;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Admin.Features.Leads;

public sealed record LeadFilter(string? Category = null, LeadStatus? Status = null);

public sealed record LeadRow(
    long Id,
    long ConversationId,
    DateTimeOffset CreatedAt,
    string Category,
    int Score,
    LeadScore Band,
    LeadStatus Status,
    string Customer,
    string? Username,
    string AnswersJson);

public static class LeadQueries
{
    /// <summary>The pipeline a lead moves along; Won and Lost end it (but may be reopened by a person).</summary>
    public static readonly IReadOnlyList<LeadStatus> Pipeline = [LeadStatus.New, LeadStatus.Contacted, LeadStatus.Qualified, LeadStatus.Won, LeadStatus.Lost];

    public static IQueryable<Lead> Filtered(BotDbContext db, LeadFilter filter)
    {
        var query = db.Leads.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Category))
        {
            query = query.Where(l => l.Category == filter.Category);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(l => l.Status == status);
        }

        return query;
    }

    public static async Task<(IReadOnlyList<LeadRow> Rows, int Total)> PageAsync(
        BotDbContext db, LeadFilter filter, string? sortBy, bool descending, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = Filtered(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await Project(db, Sort(query, sortBy, descending)).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (rows, total);
    }

    /// <summary>Every lead the filter matches, newest first, for the CSV export (bounded: an export is a report, not a dump).</summary>
    public static async Task<IReadOnlyList<LeadRow>> ExportAsync(BotDbContext db, LeadFilter filter, int limit, CancellationToken cancellationToken) =>
        await Project(db, Sort(Filtered(db, filter), null, true)).Take(limit).ToListAsync(cancellationToken);

    public static async Task<IReadOnlyList<string>> CategoriesAsync(BotDbContext db, CancellationToken cancellationToken) =>
        await db.Leads.AsNoTracking().Select(l => l.Category).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);

    public static async Task<LeadRow?> DetailAsync(BotDbContext db, long id, CancellationToken cancellationToken) =>
        await Project(db, db.Leads.AsNoTracking().Where(l => l.Id == id)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The intake answers as label/value pairs in the order of the intake; unreadable JSON yields nothing.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> AnswersOf(string answersJson)
    {
        IntakeAnswers answers;
        try
        {
            answers = IntakeJson.DeserializeAnswers(answersJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
        catch (InvalidOperationException)
        {
            return [];
        }

        var list = new List<KeyValuePair<string, string>>();
        void Add(string label, object? value)
        {
            if (value is not null && value.ToString() is { Length: > 0 } text)
            {
                list.Add(new(label, text));
            }
        }

        Add("Project type", answers.ProjectType);
        Add("Description", answers.Description);
        Add("Budget", answers.Budget);
        Add("Timeline", answers.Timeline);
        Add("Name", answers.Name);
        Add("Company", answers.Company);
        Add("Decides the budget", answers.DecidesBudget);
        Add("Email", answers.Email);
        Add("Phone", answers.Phone);
        Add("Telegram is fine", answers.TelegramIsFine ? "yes" : null);
        Add("Telegram username", answers.TelegramUsername);
        if (answers.OpenQuestions.Count > 0)
        {
            Add("Open questions", string.Join(" | ", answers.OpenQuestions));
        }

        return list;
    }

    /// <summary>The score breakdown; unreadable JSON yields an empty list rather than a broken page.</summary>
    public static IReadOnlyList<ScoreFactor> BreakdownOf(string breakdownJson)
    {
        try
        {
            return IntakeJson.DeserializeBreakdown(breakdownJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static IOrderedQueryable<Lead> Sort(IQueryable<Lead> query, string? sortBy, bool descending) => (sortBy, descending) switch
    {
        (nameof(LeadRow.Score), true) => query.OrderByDescending(l => l.Score).ThenByDescending(l => l.Id),
        (nameof(LeadRow.Score), false) => query.OrderBy(l => l.Score).ThenBy(l => l.Id),
        (nameof(LeadRow.Status), true) => query.OrderByDescending(l => l.Status).ThenByDescending(l => l.Id),
        (nameof(LeadRow.Status), false) => query.OrderBy(l => l.Status).ThenBy(l => l.Id),
        (nameof(LeadRow.Category), true) => query.OrderByDescending(l => l.Category).ThenByDescending(l => l.Id),
        (nameof(LeadRow.Category), false) => query.OrderBy(l => l.Category).ThenBy(l => l.Id),
        (nameof(LeadRow.CreatedAt), false) => query.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id),
        _ => query.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id),
    };

    private static IQueryable<LeadRow> Project(BotDbContext db, IQueryable<Lead> leads) =>
        from l in leads
        join u in db.TelegramUsers on l.TelegramUserId equals u.Id into users
        from u in users.DefaultIfEmpty()
        select new LeadRow(
            l.Id, l.ConversationId, l.CreatedAt, l.Category, l.Score, l.ScoreBand, l.Status,
            u == null ? "" : (u.LastName == null || u.LastName == "" ? u.FirstName : u.FirstName + " " + u.LastName),
            u == null ? null : u.Username,
            l.AnswersJson);
}
