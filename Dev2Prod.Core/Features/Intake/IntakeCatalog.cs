namespace Dev2Prod.Core.Features.Intake;

/// <summary>One answer of a choice step: the value, its short code (callback data, stored answers) and its label.</summary>
public sealed record IntakeChoice<T>(T Value, string Code, string Label) where T : struct, Enum;

/// <summary>
/// The choices of the intake, in the order they are offered. The codes appear in callback data (keep them short:
/// Telegram allows 64 bytes) and in stored answers, so they never change once released.
/// </summary>
public static class IntakeCatalog
{
    public static readonly IReadOnlyList<IntakeChoice<ProjectType>> ProjectTypes =
    [
        new(ProjectType.Web, "web", "Web app"),
        new(ProjectType.Mobile, "mobile", "Mobile app"),
        new(ProjectType.Mvp, "mvp", "MVP / prototype"),
        new(ProjectType.Ai, "ai", "AI / LLM feature"),
        new(ProjectType.DevOps, "devops", "DevOps / cloud"),
        new(ProjectType.Other, "other", "Other"),
    ];

    public static readonly IReadOnlyList<IntakeChoice<BudgetRange>> Budgets =
    [
        new(BudgetRange.Under5k, "lt5k", "< $5k"),
        new(BudgetRange.From5kTo15k, "5-15k", "$5-15k"),
        new(BudgetRange.From15kTo50k, "15-50k", "$15-50k"),
        new(BudgetRange.From50kTo150k, "50-150k", "$50-150k"),
        new(BudgetRange.Over150k, "150k+", "$150k+"),
        new(BudgetRange.NotSure, "unsure", "Not sure yet"),
    ];

    public static readonly IReadOnlyList<IntakeChoice<ProjectTimeline>> Timelines =
    [
        new(ProjectTimeline.Asap, "asap", "ASAP (< 1 month)"),
        new(ProjectTimeline.OneToThreeMonths, "1-3m", "1-3 months"),
        new(ProjectTimeline.ThreeToSixMonths, "3-6m", "3-6 months"),
        new(ProjectTimeline.SixMonthsOrFlexible, "6m+", "6+ months / flexible"),
    ];

    public static readonly IReadOnlyList<IntakeChoice<BudgetDecision>> Decisions =
    [
        new(BudgetDecision.Yes, "yes", "Yes"),
        new(BudgetDecision.Shared, "shared", "Shared"),
        new(BudgetDecision.No, "no", "No"),
    ];

    /// <summary>The lead category of a project type: web, mobile, mvp, ai, devops or other.</summary>
    public static string CategoryOf(ProjectType type) => Find(ProjectTypes, type).Code;

    public static string LabelOf(ProjectType type) => Find(ProjectTypes, type).Label;

    public static string LabelOf(BudgetRange budget) => Find(Budgets, budget).Label;

    public static string LabelOf(ProjectTimeline timeline) => Find(Timelines, timeline).Label;

    public static string LabelOf(BudgetDecision decision) => Find(Decisions, decision).Label;

    /// <summary>The choice with this code, or null.</summary>
    public static IntakeChoice<T>? ByCode<T>(IReadOnlyList<IntakeChoice<T>> choices, string? code) where T : struct, Enum =>
        choices.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal));

    /// <summary>
    /// The choice a typed answer names ("web app", "Mobile", "15-50k", "$50-150k"), or null. Lenient about case,
    /// spaces and a leading or trailing symbol; never guesses between two choices.
    /// </summary>
    public static IntakeChoice<T>? ByTypedText<T>(IReadOnlyList<IntakeChoice<T>> choices, string text) where T : struct, Enum
    {
        var typed = Simplify(text);
        if (typed.Length == 0)
        {
            return null;
        }

        var exact = choices.Where(c => Simplify(c.Label) == typed || Simplify(c.Code) == typed || Simplify(c.Value.ToString()) == typed).ToList();
        if (exact.Count == 1)
        {
            return exact[0];
        }

        // "mobile" for "Mobile app", "asap" for "ASAP (< 1 month)": the first word of exactly one label.
        var byFirstWord = choices.Where(c => Simplify(c.Label.Split(' ')[0]) == typed).ToList();
        return byFirstWord.Count == 1 ? byFirstWord[0] : null;
    }

    private static string Simplify(string text) =>
        new string(text.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is '-' or '+' or '<' or ' ').ToArray())
            .Replace(" ", "", StringComparison.Ordinal);

    private static IntakeChoice<T> Find<T>(IReadOnlyList<IntakeChoice<T>> choices, T value) where T : struct, Enum =>
        choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, value));
}
