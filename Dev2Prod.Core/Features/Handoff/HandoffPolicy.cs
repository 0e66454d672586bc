using Dev2Prod.Core.Security;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// Who may do what with escalated conversations: one definition, on top of <see cref="Role"/>, used by the
/// Telegram group and the dashboard alike.
/// </summary>
public static class HandoffPolicy
{
    /// <summary>Claim a waiting conversation, reply to and close one's own, write notes.</summary>
    public const Role Handle = Role.Agent;

    /// <summary>Transfer, and release or close conversations another agent owns.</summary>
    public const Role ActOnAll = Role.Supervisor;

    /// <summary>Register agents and change roles.</summary>
    public const Role ManageAgents = Role.Admin;

    public static bool CanHandle(Role role) => role.Allows(Handle);

    public static bool CanActOnAll(Role role) => role.Allows(ActOnAll);

    public static bool CanManageAgents(Role role) => role.Allows(ManageAgents);
}
