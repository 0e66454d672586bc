namespace Dev2Prod.Api.Features.Intake;

/// <summary>
/// The steps, as stored in <c>ConversationSession.Step</c> and used in callback data (<c>intake:{step}:{value}</c>).
/// Step 5 has two parts: the name and company (text), then the decision-maker question (buttons).
/// </summary>
public static class IntakeSteps
{
    public const string Type = "type";
    public const string Description = "description";
    public const string Budget = "budget";
    public const string Timeline = "timeline";
    public const string About = "about";
    public const string Decision = "decision";
    public const string Contact = "contact";
    public const string Summary = "summary";
    public const string Edit = "edit";

    public const int Count = 6;

    /// <summary>The order of a first pass through the intake.</summary>
    public static readonly IReadOnlyList<string> Sequence = [Type, Description, Budget, Timeline, About, Decision, Contact, Summary];

    /// <summary>The steps the summary's Edit can jump to.</summary>
    public static readonly IReadOnlyList<string> Editable = [Type, Description, Budget, Timeline, About, Contact];

    public static bool IsKnown(string? step) => step is not null && (Sequence.Contains(step) || step == Edit);

    /// <summary>"Step N of 6": 1-6, or 0 for the summary and the edit menu.</summary>
    public static int NumberOf(string step) => step switch
    {
        Type => 1,
        Description => 2,
        Budget => 3,
        Timeline => 4,
        About or Decision => 5,
        Contact => 6,
        _ => 0,
    };

    public static string TitleOf(string step) => step switch
    {
        Type => "Project type",
        Description => "Description",
        Budget => "Budget",
        Timeline => "Timeline",
        About or Decision => "About you",
        Contact => "Contact",
        Summary => "Summary",
        _ => "",
    };

    public static string Next(string step)
    {
        var index = Sequence.ToList().IndexOf(step);
        return index < 0 || index == Sequence.Count - 1 ? Summary : Sequence[index + 1];
    }

    /// <summary>The step before, or null for the first.</summary>
    public static string? Previous(string step)
    {
        var index = Sequence.ToList().IndexOf(step);
        return index <= 0 ? null : Sequence[index - 1];
    }

    /// <summary>Steps answered by typing (the others by buttons).</summary>
    public static bool IsTextStep(string step) => step is Description or About or Contact;
}
