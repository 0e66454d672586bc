using Dev2Prod.Admin.Auth;
using Dev2Prod.Admin.Data;
using Dev2Prod.Admin.Features.Audit;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Admin.Features.Leads;

/// <summary>Moves a lead along the pipeline (Agent or above: whoever talks to the customer updates the lead).</summary>
public sealed class LeadActions(DbAccess dbAccess, TimeProvider time)
{
    public Task<bool> SetStatusAsync(CurrentUser actor, long leadId, LeadStatus status, CancellationToken cancellationToken = default)
    {
        if (!actor.Allows(Role.Agent))
        {
            return Task.FromResult(false);
        }

        return dbAccess.QueryAsync(async (db, ct) =>
        {
            var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == leadId, ct);
            if (lead is null || lead.Status == status)
            {
                return false;
            }

            var before = lead.Status;
            lead.Status = status;
            lead.UpdatedAt = time.GetUtcNow();
            AuditTrail.Record(db, time, actor.UserName, "lead.status", $"lead:{leadId}", $"{before} -> {status}");
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }
}

public static class LeadEndpoints
{
    public const int ExportLimit = 100_000;

    /// <summary>
    /// GET /leads/export.csv?category=&amp;status= (Supervisor or above). A plain download, not a circuit call, so
    /// the browser saves it like any file; each export is audited with its filter and row count.
    /// </summary>
    public static IEndpointRouteBuilder MapLeadExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/leads/export.csv", async (string? category, string? status, HttpContext context, DbAccess dbAccess, TimeProvider time) =>
        {
            LeadStatus? parsedStatus = Enum.TryParse<LeadStatus>(status, ignoreCase: true, out var s) ? s : null;
            var filter = new LeadFilter(string.IsNullOrWhiteSpace(category) ? null : category, parsedStatus);
            var csv = await dbAccess.QueryAsync(async (db, ct) =>
            {
                var rows = await LeadQueries.ExportAsync(db, filter, ExportLimit, ct);
                AuditTrail.Record(db, time, context.User.Identity?.Name ?? "unknown", "leads.export", null,
                    $"category={filter.Category ?? "any"}, status={filter.Status?.ToString() ?? "any"}, rows={rows.Count}");
                await db.SaveChangesAsync(ct);
                return LeadCsv.Write(rows);
            }, context.RequestAborted);

            var fileName = $"leads-{time.GetUtcNow():yyyyMMdd-HHmm}.csv";
            // A BOM so spreadsheet programs read the UTF-8 names correctly.
            return TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", fileName);
        }).RequireAuthorization(Policies.SupervisorOrAbove);
        return app;
    }
}
