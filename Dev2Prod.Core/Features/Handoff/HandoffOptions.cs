using System.ComponentModel.DataAnnotations;
using Dev2Prod.Core.Security;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>Human handoff settings (section <c>Handoff</c>).</summary>
public sealed class HandoffOptions
{
    public const string Section = "Handoff";

    /// <summary>When agents answer; outside these hours the user gets an away message (the group is still told).</summary>
    public BusinessHoursOptions BusinessHours { get; set; } = new();

    /// <summary>Nobody claimed an escalation this long: the group is pinged again (supervisors mentioned), then every as long again.</summary>
    [Range(1, 24 * 60)]
    public int ClaimReminderMinutes { get; set; } = 10;

    /// <summary>What the user is told to expect within business hours ("usual wait about N minutes").</summary>
    [Range(1, 24 * 60)]
    public int UsualWaitMinutes { get; set; } = 15;

    /// <summary>Agents registered at start-up (upserted by Telegram user id); the dashboard manages them later.</summary>
    public List<ConfiguredAgent> Agents { get; set; } = [];
}

/// <summary>Business hours (section <c>Handoff:BusinessHours</c>).</summary>
public sealed class BusinessHoursOptions
{
    /// <summary>IANA (or Windows) time zone id, e.g. Europe/Berlin.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Working days.</summary>
    public List<DayOfWeek> Days { get; set; } = [];

    /// <summary>Opening time, local to <see cref="TimeZone"/>.</summary>
    public TimeOnly Start { get; set; } = new(9, 0);

    /// <summary>Closing time, local to <see cref="TimeZone"/> (after <see cref="Start"/>).</summary>
    public TimeOnly End { get; set; } = new(18, 0);

    /// <summary>Monday to Friday when <see cref="Days"/> is not configured.</summary>
    public IReadOnlyList<DayOfWeek> EffectiveDays => Days.Count > 0
        ? Days
        : [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
}

/// <summary>One agent of <c>Handoff:Agents</c>.</summary>
public sealed class ConfiguredAgent
{
    public long TelegramUserId { get; set; }
    public string? TelegramUsername { get; set; }
    public string DisplayName { get; set; } = "";
    public Role Role { get; set; } = Role.Agent;
}

/// <summary>Cross-field rules, all reported at once with the keys they concern.</summary>
internal sealed class HandoffOptionsValidator : IValidateOptions<HandoffOptions>
{
    public ValidateOptionsResult Validate(string? name, HandoffOptions options)
    {
        var errors = new List<string>();
        var hours = options.BusinessHours;
        if (!BusinessHours.TryFindTimeZone(hours.TimeZone, out _))
        {
            errors.Add($"Handoff:BusinessHours:TimeZone \"{hours.TimeZone}\" is not a known time zone (use an IANA id such as Europe/Berlin).");
        }

        if (hours.End <= hours.Start)
        {
            errors.Add("Handoff:BusinessHours:End must be after Handoff:BusinessHours:Start.");
        }

        for (var i = 0; i < options.Agents.Count; i++)
        {
            var agent = options.Agents[i];
            if (agent.TelegramUserId <= 0)
            {
                errors.Add($"Handoff:Agents:{i}:TelegramUserId must be a Telegram user id (a positive number).");
            }

            if (string.IsNullOrWhiteSpace(agent.DisplayName))
            {
                errors.Add($"Handoff:Agents:{i}:DisplayName is required (it signs the agent's messages to customers).");
            }
        }

        if (options.Agents.GroupBy(a => a.TelegramUserId).Any(g => g.Count() > 1))
        {
            errors.Add("Handoff:Agents lists the same TelegramUserId twice.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
