using System.ComponentModel.DataAnnotations;

namespace Dev2Prod.Admin.Auth;

/// <summary>Settings of the dashboard's sign-in (section <c>Admin</c>).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// Password of the first <c>admin</c> user, used only while the database has no Admin yet. Required then;
    /// the AppHost generates one for development.
    /// </summary>
    public string? InitialPassword { get; set; }

    /// <summary>Failed sign-ins before the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
