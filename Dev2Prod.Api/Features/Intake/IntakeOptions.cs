using System.ComponentModel.DataAnnotations;

namespace Dev2Prod.Api.Features.Intake;

/// <summary>Intake settings (section <c>Intake</c>); the scoring weights are in <c>Intake:Scoring</c>.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Where hot leads (and everyone who wants to talk sooner) book a call.</summary>
    [Required]
    [Url(ErrorMessage = "Intake:BookCallUrl must be an absolute http(s) URL.")]
    public string BookCallUrl { get; set; } = "https://dev2production.tech/book";

    /// <summary>The agency's website, offered to cold leads.</summary>
    [Required]
    [Url(ErrorMessage = "Intake:WebsiteUrl must be an absolute http(s) URL.")]
    public string WebsiteUrl { get; set; } = "https://dev2production.tech";

    /// <summary>
    /// An unfinished intake carries over into the chat's next conversation (started after
    /// <c>Telegram:ConversationInactivityTimeout</c>) when the previous one was active this recently.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Intake:ResumeWithin must be between 0 and 365 days.")]
    public TimeSpan ResumeWithin { get; set; } = TimeSpan.FromDays(7);
}
