using Dev2Prod.Admin.Auth;
using Dev2Prod.Admin.Data;
using Dev2Prod.Admin.Features.Audit;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Conversations;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Admin.Features.Conversations;

/// <summary>Which actions the signed-in person may take on one conversation; the page shows exactly these.</summary>
public sealed record ConversationPermissions(bool CanClaim, bool CanReply, bool CanClose, bool CanAddNote, string? Why)
{
    public static readonly ConversationPermissions None = new(false, false, false, false, null);

    public bool Any => CanClaim || CanReply || CanClose || CanAddNote;

    /// <summary>
    /// The rules (the agent desk enforces them again): Viewers only read. Agents and above act through their linked
    /// agent: claim a waiting conversation, reply to and close the ones they hold, add notes to any open one.
    /// Supervisors and Admins may also close a conversation someone else holds.
    /// </summary>
    public static ConversationPermissions For(Role role, int? myAgentId, bool deskAvailable, ConversationStatus status, int? assignedAgentId)
    {
        if (!role.Allows(Role.Agent))
        {
            return None;
        }

        if (!deskAvailable)
        {
            return None with { Why = "Agent actions are not available on this server." };
        }

        if (myAgentId is null)
        {
            return None with { Why = "Your account is not linked to an agent; an Admin links it on the Users page." };
        }

        if (status == ConversationStatus.Closed)
        {
            return None with { Why = "This conversation is closed." };
        }

        var mine = status == ConversationStatus.Claimed && assignedAgentId == myAgentId;
        return new ConversationPermissions(
            CanClaim: status == ConversationStatus.WaitingForAgent,
            CanReply: mine,
            CanClose: mine || (status == ConversationStatus.Claimed && role.Allows(Role.Supervisor)),
            CanAddNote: true,
            Why: null);
    }
}

/// <summary>
/// The dashboard's side of the agent actions: maps the dashboard user to their agent, calls the agent desk
/// (the same one the Telegram group uses, so relay and group topic behave alike), audits and announces the change.
/// The desk is optional at run time: without it the pages stay readable and show why actions are missing.
/// </summary>
public sealed class ConversationActions(IServiceProviderIsService registrations, IServiceScopeFactory scopes, DbAccess dbAccess, ConversationEvents events, TimeProvider time)
{
    public const int MaxReplyLength = 4000;

    public bool DeskAvailable => registrations.IsService(typeof(IAgentDesk));

    public Task<int?> AgentIdOfAsync(CurrentUser user, CancellationToken cancellationToken = default) =>
        dbAccess.QueryAsync((db, ct) => db.Agents.AsNoTracking()
            .Where(a => a.DashboardUserId == user.Id && a.IsActive).Select(a => (int?)a.Id).SingleOrDefaultAsync(ct), cancellationToken);

    public Task<AgentActionResult> ClaimAsync(CurrentUser user, long conversationId, CancellationToken cancellationToken = default) =>
        RunAsync(user, conversationId, "conversation.claim", null, (desk, agentId, ct) => desk.ClaimAsync(conversationId, agentId, ct), cancellationToken);

    public Task<AgentActionResult> CloseAsync(CurrentUser user, long conversationId, CancellationToken cancellationToken = default) =>
        RunAsync(user, conversationId, "conversation.close", null, (desk, agentId, ct) => desk.CloseAsync(conversationId, agentId, ct), cancellationToken);

    public Task<AgentActionResult> ReplyAsync(CurrentUser user, long conversationId, string text, CancellationToken cancellationToken = default) =>
        Validate(text) ?? RunAsync(user, conversationId, "conversation.reply", $"{text.Trim().Length} characters",
            (desk, agentId, ct) => desk.ReplyAsync(conversationId, agentId, text.Trim(), ct), cancellationToken);

    public Task<AgentActionResult> AddNoteAsync(CurrentUser user, long conversationId, string text, CancellationToken cancellationToken = default) =>
        Validate(text) ?? RunAsync(user, conversationId, "conversation.note", $"{text.Trim().Length} characters",
            (desk, agentId, ct) => desk.AddNoteAsync(conversationId, agentId, text.Trim(), ct), cancellationToken);

    private static Task<AgentActionResult>? Validate(string text) =>
        string.IsNullOrWhiteSpace(text) ? Task.FromResult(AgentActionResult.Refused("Write something first."))
        : text.Trim().Length > MaxReplyLength ? Task.FromResult(AgentActionResult.Refused($"At most {MaxReplyLength} characters."))
        : null;

    private async Task<AgentActionResult> RunAsync(
        CurrentUser user, long conversationId, string auditAction, string? details,
        Func<IAgentDesk, int, CancellationToken, Task<AgentActionResult>> action, CancellationToken cancellationToken)
    {
        if (!user.Allows(Role.Agent))
        {
            return AgentActionResult.Refused("Your role does not allow this.");
        }

        if (await AgentIdOfAsync(user, cancellationToken) is not { } agentId)
        {
            return AgentActionResult.Refused("Your account is not linked to an agent.");
        }

        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<IAgentDesk>() is not { } desk)
        {
            return AgentActionResult.Refused("Agent actions are not available on this server.");
        }

        var result = await action(desk, agentId, cancellationToken);
        if (result.Succeeded)
        {
            await dbAccess.QueryAsync(async (db, ct) =>
            {
                AuditTrail.Record(db, time, user.UserName, auditAction, $"conversation:{conversationId}", details);
                return await db.SaveChangesAsync(ct);
            }, cancellationToken);
            await events.PublishAsync(conversationId);
        }

        return result;
    }
}
