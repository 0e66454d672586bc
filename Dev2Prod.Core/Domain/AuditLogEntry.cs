namespace Dev2Prod.Core.Domain;

/// <summary>Who did what and when: logins, role changes, claims, closes, exports, FAQ edits, settings.</summary>
public sealed class AuditLogEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Dashboard user name, <c>agent:{id}</c>, or <c>system</c>.</summary>
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string? Target { get; set; }
    public string? Details { get; set; }
}
