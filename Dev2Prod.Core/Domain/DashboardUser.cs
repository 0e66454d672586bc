using Dev2Prod.Core.Security;

namespace Dev2Prod.Core.Domain;

/// <summary>An account of the admin dashboard.</summary>
public sealed class DashboardUser
{
    public int Id { get; set; }
    public string UserName { get; set; } = "";

    /// <summary>ASP.NET Core Identity's PBKDF2 hash format.</summary>
    public string PasswordHash { get; set; } = "";
    public Role Role { get; set; } = Role.Viewer;
    public bool IsDisabled { get; set; }
    public int FailedLoginCount { get; set; }
    public DateTimeOffset? LockoutEndsAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>Changes on password/role change, so existing cookies can be invalidated.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");
}
