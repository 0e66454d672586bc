using System.Security.Claims;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Files;
using Dev2Prod.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Api.Features.Files;

/// <summary>
/// <c>GET /api/files/{id}</c> for signed-in dashboard users: Supervisors and Admins may download any attachment,
/// Agents only those of conversations assigned to the agent linked to their dashboard user. The file is found by
/// the id's row and read by the storage key the server generated, never by a path from the request; it is sent
/// as an attachment with its detected type and <c>nosniff</c>, so a browser never renders it as a page.
/// </summary>
public static partial class FileDownloadApi
{
    public const string Route = "/api/files";

    public static IEndpointRouteBuilder MapFileDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).RequireAuthorization(Policies.AgentOrAbove);
        group.MapGet("/{id:guid}", DownloadAsync)
            .WithName("DownloadAttachment")
            .WithSummary("Downloads an attachment of a conversation the signed-in dashboard user may see.");
        return app;
    }

    internal static async Task<Results<FileStreamHttpResult, NotFound, ForbidHttpResult>> DownloadAsync(
        Guid id, HttpContext context, BotDbContext db, IAttachmentStore store, TimeProvider time, ILoggerFactory loggers)
    {
        var cancellationToken = context.RequestAborted;
        var attachment = await db.Attachments.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new { a.Id, a.FileName, a.ContentType, a.StorageKey, a.ConversationId, AssignedDashboardUserId = a.Conversation!.AssignedAgent!.DashboardUserId })
            .SingleOrDefaultAsync(cancellationToken);
        if (attachment is null)
        {
            return TypedResults.NotFound();
        }

        var user = context.User;
        if (!MayDownload(user, attachment.AssignedDashboardUserId))
        {
            return TypedResults.Forbid();
        }

        var stream = await store.OpenReadAsync(attachment.StorageKey, cancellationToken);
        if (stream is null)
        {
            LogMissing(loggers.CreateLogger(typeof(FileDownloadApi)), attachment.Id);
            return TypedResults.NotFound();
        }

        db.AuditLog.Add(new AuditLogEntry
        {
            Actor = user.Identity?.Name ?? "?",
            Action = "file.download",
            Target = attachment.Id.ToString(),
            At = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, no-store";

        // fileDownloadName makes it "attachment; filename=...; filename*=UTF-8''..." (RFC 6266 / RFC 5987).
        return TypedResults.File(stream, attachment.ContentType, attachment.FileName, enableRangeProcessing: true);
    }

    /// <summary>Supervisor and above: everything. Agent: conversations assigned to their own agent record.</summary>
    internal static bool MayDownload(ClaimsPrincipal user, int? assignedDashboardUserId)
    {
        if (DashboardCookie.RoleOf(user) is not { } role)
        {
            return false;
        }

        if (role.Allows(Role.Supervisor))
        {
            return true;
        }

        return role.Allows(Role.Agent) && assignedDashboardUserId is not null && assignedDashboardUserId == DashboardCookie.UserIdOf(user);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId} has a row but no stored file")]
    private static partial void LogMissing(ILogger logger, Guid attachmentId);
}
