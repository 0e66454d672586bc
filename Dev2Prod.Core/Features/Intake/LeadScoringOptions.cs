using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Intake;

/// <summary>
/// Points per answer and the band thresholds (section <c>Intake:Scoring</c>). A factor's maximum is its best
/// answer's points; the score is the points as a share of all maxima, 0-100 (with the defaults the maxima add
/// up to 100, so the score is the plain sum). Read through <c>IOptionsMonitor</c>: changes apply without a restart.
/// </summary>
public sealed class LeadScoringOptions
{
    public const string Section = "Intake:Scoring";

    /// <summary>Scores from here up are <c>hot</c>.</summary>
    public int HotThreshold { get; set; } = 70;

    /// <summary>Scores from here up (below <see cref="HotThreshold"/>) are <c>warm</c>; below, <c>cold</c>.</summary>
    public int WarmThreshold { get; set; } = 40;

    public Dictionary<BudgetRange, int> Budget { get; set; } = new()
    {
        [BudgetRange.Under5k] = 0,
        [BudgetRange.From5kTo15k] = 8,
        [BudgetRange.From15kTo50k] = 16,
        [BudgetRange.From50kTo150k] = 22,
        [BudgetRange.Over150k] = 25,
        [BudgetRange.NotSure] = 6,
    };

    public Dictionary<ProjectTimeline, int> Timeline { get; set; } = new()
    {
        [ProjectTimeline.Asap] = 15,
        [ProjectTimeline.OneToThreeMonths] = 12,
        [ProjectTimeline.ThreeToSixMonths] = 7,
        [ProjectTimeline.SixMonthsOrFlexible] = 3,
    };

    public Dictionary<BudgetDecision, int> DecisionMaker { get; set; } = new()
    {
        [BudgetDecision.Yes] = 15,
        [BudgetDecision.Shared] = 8,
        [BudgetDecision.No] = 0,
    };

    /// <summary>How well the project fits what the agency does best.</summary>
    public Dictionary<ProjectType, int> ProjectType { get; set; } = new()
    {
        [Intake.ProjectType.Web] = 10,
        [Intake.ProjectType.Mvp] = 10,
        [Intake.ProjectType.Ai] = 10,
        [Intake.ProjectType.Mobile] = 8,
        [Intake.ProjectType.DevOps] = 7,
        [Intake.ProjectType.Other] = 3,
    };

    public DescriptionScoring Description { get; set; } = new();

    public ContactScoring Contact { get; set; } = new();

    public EmailDomainScoring EmailDomain { get; set; } = new();
}

/// <summary>Detail (length in words) and specificity (figures, technologies, features) of the description.</summary>
public sealed class DescriptionScoring
{
    public int DetailedWords { get; set; } = 80;
    public int DetailedPoints { get; set; } = 8;
    public int SomeDetailWords { get; set; } = 30;
    public int SomeDetailPoints { get; set; } = 5;
    public int BriefPoints { get; set; } = 1;

    /// <summary>Mentions figures: users, dates, amounts, screens.</summary>
    public int FiguresPoints { get; set; } = 2;

    /// <summary>Names platforms or technologies (iOS, React, Stripe, AWS, ...).</summary>
    public int TechnologyPoints { get; set; } = 3;

    /// <summary>Names concrete features (payments, dashboard, booking, ...).</summary>
    public int FeaturesPoints { get; set; } = 2;

    public int Max => DetailedPoints + FiguresPoints + TechnologyPoints + FeaturesPoints;
}

/// <summary>How many ways the team has to reach the customer.</summary>
public sealed class ContactScoring
{
    public int EmailAndPhone { get; set; } = 10;
    public int EmailOnly { get; set; } = 7;
    public int PhoneOnly { get; set; } = 6;
    public int TelegramOnly { get; set; } = 3;

    public int Max => Math.Max(Math.Max(EmailAndPhone, EmailOnly), Math.Max(PhoneOnly, TelegramOnly));
}

/// <summary>A company email domain signals a business enquiry; free mail (gmail.com, ...) less so.</summary>
public sealed class EmailDomainScoring
{
    public int CompanyDomain { get; set; } = 10;
    public int FreeMail { get; set; } = 3;
    public int NoEmail { get; set; } = 0;

    /// <summary>Domains counted as free mail on top of the built-in list (<see cref="FreeMailDomains"/>).</summary>
    public List<string> AdditionalFreeMailDomains { get; set; } = [];

    public int Max => Math.Max(CompanyDomain, Math.Max(FreeMail, NoEmail));
}

/// <summary>Cross-field rules, reported all at once and naming the keys, so a bad edit stops start-up clearly.</summary>
public sealed class LeadScoringOptionsValidator : IValidateOptions<LeadScoringOptions>
{
    public ValidateOptionsResult Validate(string? name, LeadScoringOptions options)
    {
        const string S = LeadScoringOptions.Section;
        var errors = new List<string>();

        if (options.HotThreshold is < 1 or > 100)
        {
            errors.Add($"{S}:HotThreshold must be between 1 and 100.");
        }

        if (options.WarmThreshold < 1 || options.WarmThreshold >= options.HotThreshold)
        {
            errors.Add($"{S}:WarmThreshold must be at least 1 and below {S}:HotThreshold.");
        }

        CheckAll(errors, $"{S}:Budget", options.Budget);
        CheckAll(errors, $"{S}:Timeline", options.Timeline);
        CheckAll(errors, $"{S}:DecisionMaker", options.DecisionMaker);
        CheckAll(errors, $"{S}:ProjectType", options.ProjectType);

        var description = options.Description;
        Check(errors, $"{S}:Description:DetailedPoints", description.DetailedPoints);
        Check(errors, $"{S}:Description:SomeDetailPoints", description.SomeDetailPoints);
        Check(errors, $"{S}:Description:BriefPoints", description.BriefPoints);
        Check(errors, $"{S}:Description:FiguresPoints", description.FiguresPoints);
        Check(errors, $"{S}:Description:TechnologyPoints", description.TechnologyPoints);
        Check(errors, $"{S}:Description:FeaturesPoints", description.FeaturesPoints);
        if (description.SomeDetailWords < 1 || description.SomeDetailWords >= description.DetailedWords)
        {
            errors.Add($"{S}:Description:SomeDetailWords must be at least 1 and below {S}:Description:DetailedWords.");
        }

        Check(errors, $"{S}:Contact:EmailAndPhone", options.Contact.EmailAndPhone);
        Check(errors, $"{S}:Contact:EmailOnly", options.Contact.EmailOnly);
        Check(errors, $"{S}:Contact:PhoneOnly", options.Contact.PhoneOnly);
        Check(errors, $"{S}:Contact:TelegramOnly", options.Contact.TelegramOnly);
        Check(errors, $"{S}:EmailDomain:CompanyDomain", options.EmailDomain.CompanyDomain);
        Check(errors, $"{S}:EmailDomain:FreeMail", options.EmailDomain.FreeMail);
        Check(errors, $"{S}:EmailDomain:NoEmail", options.EmailDomain.NoEmail);

        if (errors.Count == 0 && LeadScorer.TotalMax(options) == 0)
        {
            errors.Add($"{S}: every factor is worth 0 points; give at least one answer points.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckAll<T>(List<string> errors, string key, Dictionary<T, int> points) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (!points.TryGetValue(value, out var p))
            {
                errors.Add($"{key}:{value} is missing.");
            }
            else
            {
                Check(errors, $"{key}:{value}", p);
            }
        }
    }

    private static void Check(List<string> errors, string key, int points)
    {
        if (points is < 0 or > 100)
        {
            errors.Add($"{key} must be between 0 and 100 points (is {points}).");
        }
    }
}
