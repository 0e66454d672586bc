using System.Globalization;
using System.Text.RegularExpressions;
using Dev2Prod.Core.Domain;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Intake;

/// <summary>One line of the explanation: what a factor was worth and why. Stored with the lead as JSON.</summary>
public sealed record ScoreFactor(string Factor, int Points, int Max, string Reason);

/// <summary>The score (0-100), its band and the breakdown that explains it.</summary>
public sealed record LeadScoreResult(int Score, LeadScore Band, IReadOnlyList<ScoreFactor> Breakdown)
{
    /// <summary>hot, warm or cold: the metric label and what the team sees.</summary>
    public string BandName => Band.ToString().ToLowerInvariant();
}

/// <summary>
/// Explainable lead scoring: each factor gives points for one aspect of the answers (budget, timeline,
/// decision-maker, description, contact completeness, email domain, project type), and the sum, as a share
/// of the maxima, is the score. Pure: the same answers and options always give the same result.
/// </summary>
public sealed partial class LeadScorer(IOptionsMonitor<LeadScoringOptions> options)
{
    public const string BudgetFactor = "budget";
    public const string TimelineFactor = "timeline";
    public const string DecisionMakerFactor = "decision_maker";
    public const string DescriptionFactor = "description";
    public const string ContactFactor = "contact";
    public const string EmailDomainFactor = "email_domain";
    public const string ProjectTypeFactor = "project_type";

    /// <summary>Scores with the current configuration.</summary>
    public LeadScoreResult Score(IntakeAnswers answers) => Score(answers, options.CurrentValue);

    public static LeadScoreResult Score(IntakeAnswers answers, LeadScoringOptions options)
    {
        IReadOnlyList<ScoreFactor> breakdown =
        [
            Choice(BudgetFactor, answers.Budget, options.Budget, b => $"Budget {IntakeCatalog.LabelOf(b)}"),
            Choice(TimelineFactor, answers.Timeline, options.Timeline, t => $"Timeline {IntakeCatalog.LabelOf(t)}"),
            Choice(DecisionMakerFactor, answers.DecidesBudget, options.DecisionMaker, d => d switch
            {
                BudgetDecision.Yes => "Decides on the budget",
                BudgetDecision.Shared => "Shares the budget decision",
                _ => "Does not decide on the budget",
            }),
            Description(answers.Description, options.Description),
            Contact(answers, options.Contact),
            EmailDomain(answers.Email, options.EmailDomain),
            Choice(ProjectTypeFactor, answers.ProjectType, options.ProjectType, p => $"Project type {IntakeCatalog.LabelOf(p)}"),
        ];

        var max = breakdown.Sum(f => f.Max);
        var points = breakdown.Sum(f => f.Points);
        var score = max == 0 ? 0 : (int)Math.Round(100.0 * points / max, MidpointRounding.AwayFromZero);
        score = Math.Clamp(score, 0, 100);
        return new LeadScoreResult(score, BandOf(score, options), breakdown);
    }

    /// <summary>hot from <see cref="LeadScoringOptions.HotThreshold"/>, warm from <see cref="LeadScoringOptions.WarmThreshold"/>, else cold.</summary>
    public static LeadScore BandOf(int score, LeadScoringOptions options) =>
        score >= options.HotThreshold ? LeadScore.Hot
        : score >= options.WarmThreshold ? LeadScore.Warm
        : LeadScore.Cold;

    /// <summary>The sum of the factors' maxima.</summary>
    public static int TotalMax(LeadScoringOptions options) =>
        options.Budget.Values.DefaultIfEmpty().Max() + options.Timeline.Values.DefaultIfEmpty().Max()
        + options.DecisionMaker.Values.DefaultIfEmpty().Max() + options.ProjectType.Values.DefaultIfEmpty().Max()
        + options.Description.Max + options.Contact.Max + options.EmailDomain.Max;

    private static ScoreFactor Choice<T>(string factor, T? answer, Dictionary<T, int> points, Func<T, string> reason) where T : struct, Enum
    {
        var max = points.Values.DefaultIfEmpty().Max();
        if (answer is not { } value)
        {
            return new ScoreFactor(factor, 0, max, "Not answered");
        }

        return new ScoreFactor(factor, points.GetValueOrDefault(value), max, reason(value));
    }

    private static ScoreFactor Description(string? description, DescriptionScoring scoring)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return new ScoreFactor(DescriptionFactor, 0, scoring.Max, "Not answered");
        }

        var words = Word().Matches(description).Select(m => m.Value.ToLowerInvariant().TrimEnd('.', '-', '\'')).ToList();
        var points = words.Count >= scoring.DetailedWords ? scoring.DetailedPoints
            : words.Count >= scoring.SomeDetailWords ? scoring.SomeDetailPoints
            : scoring.BriefPoints;
        var detail = words.Count >= scoring.DetailedWords ? "detailed"
            : words.Count >= scoring.SomeDetailWords ? "some detail"
            : "brief";
        var reasons = new List<string> { $"{words.Count.ToString(CultureInfo.InvariantCulture)} words ({detail})" };

        if (description.Any(char.IsDigit))
        {
            points += scoring.FiguresPoints;
            reasons.Add("mentions figures");
        }

        var technologies = words.Where(TechnologyTerms.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (technologies.Count > 0)
        {
            points += scoring.TechnologyPoints;
            reasons.Add($"names technologies ({string.Join(", ", technologies.Take(3))})");
        }

        var features = words.Where(FeatureTerms.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (features.Count > 0)
        {
            points += scoring.FeaturesPoints;
            reasons.Add($"names features ({string.Join(", ", features.Take(3))})");
        }

        return new ScoreFactor(DescriptionFactor, points, scoring.Max, string.Join("; ", reasons));
    }

    private static ScoreFactor Contact(IntakeAnswers answers, ContactScoring scoring) => (answers.Email, answers.Phone) switch
    {
        ({ }, { }) => new ScoreFactor(ContactFactor, scoring.EmailAndPhone, scoring.Max, "Email and phone"),
        ({ }, null) => new ScoreFactor(ContactFactor, scoring.EmailOnly, scoring.Max, "Email only"),
        (null, { }) => new ScoreFactor(ContactFactor, scoring.PhoneOnly, scoring.Max, "Phone only"),
        _ when answers.TelegramIsFine => new ScoreFactor(ContactFactor, scoring.TelegramOnly, scoring.Max, "Telegram only"),
        _ => new ScoreFactor(ContactFactor, 0, scoring.Max, "No contact details"),
    };

    private static ScoreFactor EmailDomain(string? email, EmailDomainScoring scoring)
    {
        if (IntakeValidation.DomainOf(email) is not { } domain)
        {
            return new ScoreFactor(EmailDomainFactor, scoring.NoEmail, scoring.Max, "No email address");
        }

        return FreeMailDomains.IsFreeMail(domain, scoring.AdditionalFreeMailDomains)
            ? new ScoreFactor(EmailDomainFactor, scoring.FreeMail, scoring.Max, $"Free mail domain {domain}")
            : new ScoreFactor(EmailDomainFactor, scoring.CompanyDomain, scoring.Max, $"Company domain {domain}");
    }

    /// <summary>Words, keeping the characters of names like node.js, c#, c++ and sign-up.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}+#.\-']*")]
    private static partial Regex Word();

    private static readonly HashSet<string> TechnologyTerms = new(StringComparer.Ordinal)
    {
        "ios", "android", "iphone", "ipad", "macos", "windows", "linux", "pwa", "react", "react-native", "next.js", "nextjs",
        "angular", "vue", "vue.js", "svelte", "flutter", "swift", "swiftui", "kotlin", "java", "python", "django", "fastapi",
        "flask", "node", "node.js", "nodejs", ".net", "dotnet", "c#", "c++", "golang", "rust", "php", "laravel", "ruby", "rails",
        "typescript", "javascript", "postgres", "postgresql", "mysql", "mongodb", "redis", "sql", "elasticsearch", "aws", "azure",
        "gcp", "kubernetes", "k8s", "docker", "terraform", "ansible", "serverless", "lambda", "api", "apis", "rest", "graphql",
        "websocket", "websockets", "openai", "gpt", "gpt-4", "chatgpt", "llm", "llms", "rag", "langchain", "embeddings", "whisper",
        "stripe", "paypal", "firebase", "supabase", "shopify", "wordpress", "webflow", "salesforce", "hubspot", "sap", "odoo",
        "twilio", "whatsapp", "slack", "bluetooth", "ble", "gps", "iot", "blockchain", "ethereum", "solana", "saas", "ci", "cd",
    };

    private static readonly HashSet<string> FeatureTerms = new(StringComparer.Ordinal)
    {
        "login", "signup", "sign-up", "registration", "authentication", "auth", "sso", "payment", "payments", "checkout",
        "subscription", "subscriptions", "billing", "invoice", "invoices", "invoicing", "dashboard", "dashboards", "admin",
        "notification", "notifications", "chat", "messaging", "booking", "bookings", "appointments", "calendar", "scheduling",
        "map", "maps", "geolocation", "search", "filters", "catalog", "catalogue", "cart", "marketplace", "profile",
        "profiles", "roles", "permissions", "analytics", "reports", "reporting", "upload", "uploads", "export", "import",
        "integration", "integrations", "crm", "erp", "inventory", "tracking", "offline", "multilingual", "chatbot",
        "recommendations", "onboarding", "workflow", "workflows", "approvals", "monitoring", "deployment", "migration",
    };
}
