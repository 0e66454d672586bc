using Dev2Prod.Core.Security;

namespace Dev2Prod.Core.Domain;

/// <summary>A person who handles escalated conversations from the agents' Telegram group.</summary>
public sealed class Agent
{
    public int Id { get; set; }

    /// <summary>Telegram user id; null until linked.</summary>
    public long? TelegramUserId { get; set; }
    public string? TelegramUsername { get; set; }
    public string DisplayName { get; set; } = "";
    public Role Role { get; set; } = Role.Agent;
    public bool IsActive { get; set; } = true;

    /// <summary>The dashboard account of the same person, if any.</summary>
    public int? DashboardUserId { get; set; }
    public DashboardUser? DashboardUser { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
