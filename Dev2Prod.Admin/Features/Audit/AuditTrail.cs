using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Admin.Features.Audit;

/// <summary>
/// The one way the dashboard writes the audit log. The entry is added to the caller's context so it is saved in
/// the same SaveChanges (same transaction) as the change it records: no change without its entry, no entry
/// without its change.
/// </summary>
public static class AuditTrail
{
    public static void Record(BotDbContext db, TimeProvider time, string actor, string action, string? target, string? details = null) =>
        db.AuditLog.Add(new AuditLogEntry
        {
            Actor = actor,
            Action = action,
            Target = target,
            Details = details is { Length: > 1000 } ? details[..1000] : details,
            At = time.GetUtcNow(),
        });
}

/// <summary>Filter of the audit log page.</summary>
public sealed record AuditFilter(string? Actor = null, string? Action = null, DateOnly? From = null, DateOnly? To = null);

public static class AuditQueries
{
    public static async Task<(IReadOnlyList<AuditLogEntry> Items, int Total)> PageAsync(
        BotDbContext db, AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(e => e.Actor == filter.Actor.Trim());
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var prefix = filter.Action.Trim();
            query = query.Where(e => e.Action.StartsWith(prefix));
        }

        if (filter.From is { } from)
        {
            var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At >= since);
        }

        if (filter.To is { } to)
        {
            var until = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At < until);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (items, total);
    }
}
