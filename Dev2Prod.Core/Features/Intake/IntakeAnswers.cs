namespace Dev2Prod.Core.Features.Intake;

/// <summary>Step 1: what the customer needs. The lowercase code is the lead's category.</summary>
public enum ProjectType
{
    Web,
    Mobile,
    Mvp,
    Ai,
    DevOps,
    Other,
}

/// <summary>Step 3: the budget range.</summary>
public enum BudgetRange
{
    Under5k,
    From5kTo15k,
    From15kTo50k,
    From50kTo150k,
    Over150k,
    NotSure,
}

/// <summary>Step 4: when the project should start or ship.</summary>
public enum ProjectTimeline
{
    Asap,
    OneToThreeMonths,
    ThreeToSixMonths,
    SixMonthsOrFlexible,
}

/// <summary>Step 5: whether the person decides on the budget.</summary>
public enum BudgetDecision
{
    Yes,
    Shared,
    No,
}

/// <summary>Everything the intake collects; what the scorer reads and what is stored with the lead.</summary>
public sealed record IntakeAnswers
{
    public ProjectType? ProjectType { get; init; }

    /// <summary>Free text, 20-2000 characters.</summary>
    public string? Description { get; init; }

    public BudgetRange? Budget { get; init; }

    public ProjectTimeline? Timeline { get; init; }

    public string? Name { get; init; }

    public string? Company { get; init; }

    public BudgetDecision? DecidesBudget { get; init; }

    /// <summary>Validated and normalised (see <see cref="IntakeValidation.TryParseEmail"/>).</summary>
    public string? Email { get; init; }

    /// <summary>E.164, e.g. +14155552671.</summary>
    public string? Phone { get; init; }

    /// <summary>The customer chose to be contacted here, in Telegram.</summary>
    public bool TelegramIsFine { get; init; }

    /// <summary>The customer's Telegram @username when they have one (for the sales team).</summary>
    public string? TelegramUsername { get; init; }

    /// <summary>Questions asked during the intake that the bot could not answer, for the team to pick up.</summary>
    public IReadOnlyList<string> OpenQuestions { get; init; } = [];

    /// <summary>Files attached during the intake (a brief at step 2, specs, screenshots): stored attachments by id.</summary>
    public IReadOnlyList<IntakeAttachment> Attachments { get; init; } = [];

    /// <summary>True when every step has an answer (step 6 by email, phone or "Telegram is fine").</summary>
    public bool IsComplete =>
        ProjectType is not null && !string.IsNullOrWhiteSpace(Description) && Budget is not null && Timeline is not null
        && !string.IsNullOrWhiteSpace(Name) && DecidesBudget is not null && HasContact;

    public bool HasContact => Email is not null || Phone is not null || TelegramIsFine;
}

/// <summary>A stored attachment linked to the intake's answers (its id in the attachments table and its sanitised name).</summary>
public sealed record IntakeAttachment(Guid Id, string FileName);
