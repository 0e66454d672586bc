namespace Dev2Prod.Core.Security;

/// <summary>
/// The four roles, ordered: each includes everything the ones below it may do. One definition serves the
/// Telegram side (who may claim) and the dashboard (who sees which page).
/// </summary>
public enum Role
{
    /// <summary>Read-only dashboard.</summary>
    Viewer = 0,
    /// <summary>Claim, reply to and close their own conversations.</summary>
    Agent = 1,
    /// <summary>Also transfer, act on all conversations, edit the FAQ, export leads.</summary>
    Supervisor = 2,
    /// <summary>Also manage users, agents, roles, settings and budgets.</summary>
    Admin = 3,
}
