using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Intake;

namespace Dev2Prod.UnitTests.Intake;

/// <summary>The scorer with the default weights: each factor, the bands and their boundaries.</summary>
public sealed class LeadScorerTests
{
    private static readonly LeadScoringOptions Defaults = new();

    /// <summary>A complete set of answers; tests change the one factor they look at.</summary>
    private static readonly IntakeAnswers Baseline = new()
    {
        ProjectType = ProjectType.Web,
        Description = "An app for our clinics, please.",
        Budget = BudgetRange.From15kTo50k,
        Timeline = ProjectTimeline.OneToThreeMonths,
        Name = "Jane Doe",
        Company = "Acme",
        DecidesBudget = BudgetDecision.Yes,
        Email = "jane@acme.com",
    };

    private static ScoreFactor Factor(IntakeAnswers answers, string factor) =>
        Assert.Single(LeadScorer.Score(answers, Defaults).Breakdown, f => f.Factor == factor);

    [Theory]
    [InlineData(BudgetRange.Under5k, 0)]
    [InlineData(BudgetRange.From5kTo15k, 8)]
    [InlineData(BudgetRange.From15kTo50k, 16)]
    [InlineData(BudgetRange.From50kTo150k, 22)]
    [InlineData(BudgetRange.Over150k, 25)]
    [InlineData(BudgetRange.NotSure, 6)]
    public void BudgetPoints(BudgetRange budget, int points)
    {
        var factor = Factor(Baseline with { Budget = budget }, LeadScorer.BudgetFactor);

        Assert.Equal(points, factor.Points);
        Assert.Equal(25, factor.Max);
        Assert.Contains(IntakeCatalog.LabelOf(budget), factor.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProjectTimeline.Asap, 15)]
    [InlineData(ProjectTimeline.OneToThreeMonths, 12)]
    [InlineData(ProjectTimeline.ThreeToSixMonths, 7)]
    [InlineData(ProjectTimeline.SixMonthsOrFlexible, 3)]
    public void TimelinePoints(ProjectTimeline timeline, int points)
    {
        var factor = Factor(Baseline with { Timeline = timeline }, LeadScorer.TimelineFactor);

        Assert.Equal(points, factor.Points);
        Assert.Equal(15, factor.Max);
    }

    [Theory]
    [InlineData(BudgetDecision.Yes, 15, "Decides on the budget")]
    [InlineData(BudgetDecision.Shared, 8, "Shares the budget decision")]
    [InlineData(BudgetDecision.No, 0, "Does not decide on the budget")]
    public void DecisionMakerPoints(BudgetDecision decision, int points, string reason)
    {
        var factor = Factor(Baseline with { DecidesBudget = decision }, LeadScorer.DecisionMakerFactor);

        Assert.Equal(points, factor.Points);
        Assert.Equal(15, factor.Max);
        Assert.Equal(reason, factor.Reason);
    }

    [Theory]
    [InlineData(ProjectType.Web, 10)]
    [InlineData(ProjectType.Mvp, 10)]
    [InlineData(ProjectType.Ai, 10)]
    [InlineData(ProjectType.Mobile, 8)]
    [InlineData(ProjectType.DevOps, 7)]
    [InlineData(ProjectType.Other, 3)]
    public void ProjectTypeFitPoints(ProjectType type, int points)
    {
        var factor = Factor(Baseline with { ProjectType = type }, LeadScorer.ProjectTypeFactor);

        Assert.Equal(points, factor.Points);
        Assert.Equal(10, factor.Max);
    }

    [Theory]
    [InlineData("jane@acme.com", "+14155552671", false, 10, "Email and phone")]
    [InlineData("jane@acme.com", null, false, 7, "Email only")]
    [InlineData(null, "+14155552671", false, 6, "Phone only")]
    [InlineData(null, null, true, 3, "Telegram only")]
    [InlineData(null, null, false, 0, "No contact details")]
    public void ContactCompletenessPoints(string? email, string? phone, bool telegramIsFine, int points, string reason)
    {
        var factor = Factor(Baseline with { Email = email, Phone = phone, TelegramIsFine = telegramIsFine }, LeadScorer.ContactFactor);

        Assert.Equal(points, factor.Points);
        Assert.Equal(10, factor.Max);
        Assert.Equal(reason, factor.Reason);
    }

    [Theory]
    [InlineData("jane@acme.com", 10, "Company domain acme.com")]
    [InlineData("jane@Sub.Acme.CO.UK", 10, "Company domain sub.acme.co.uk")]
    [InlineData("jane@gmail.com", 3, "Free mail domain gmail.com")]
    [InlineData("jane@outlook.com", 3, "Free mail domain outlook.com")]
    [InlineData("jane@yahoo.com", 3, "Free mail domain yahoo.com")]
    [InlineData("jane@proton.me", 3, "Free mail domain proton.me")]
    [InlineData(null, 0, "No email address")]
    public void EmailDomainPoints(string? email, int points, string reason)
    {
        var factor = Factor(Baseline with { Email = email }, LeadScorer.EmailDomainFactor);

        Assert.Equal(points, factor.Points);
        Assert.Equal(10, factor.Max);
        Assert.Equal(reason, factor.Reason);
    }

    [Fact]
    public void AdditionalFreeMailDomainsComeFromConfiguration()
    {
        var options = new LeadScoringOptions();
        options.EmailDomain.AdditionalFreeMailDomains.Add("freemail.example");

        var factor = Assert.Single(LeadScorer.Score(Baseline with { Email = "jane@freemail.example" }, options).Breakdown,
            f => f.Factor == LeadScorer.EmailDomainFactor);

        Assert.Equal(3, factor.Points);
    }

    public static TheoryData<string, int, string> Descriptions => new()
    {
        // Length alone: brief (< 30 words), some detail (30-79), detailed (80+).
        { Words(5), 1, "5 words (brief)" },
        { Words(29), 1, "29 words (brief)" },
        { Words(30), 5, "30 words (some detail)" },
        { Words(79), 5, "79 words (some detail)" },
        { Words(80), 8, "80 words (detailed)" },
        // Specificity: figures +2, technologies +3, features +2.
        { "An app for our 12 clinics please", 1 + 2, "mentions figures" },
        { "An iOS and Android app for our clinics", 1 + 3, "names technologies (ios, android)" },
        { "An app with booking and payments for our clinics", 1 + 2, "names features (booking, payments)" },
        { "An iOS app with booking and Stripe payments for 3000 patients", 1 + 2 + 3 + 2, "11 words (brief); mentions figures" },
        { Words(80) + " React dashboard for 200 users", 15, "detailed" },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void DescriptionDetailAndSpecificity(string description, int points, string reasonPart)
    {
        var factor = Factor(Baseline with { Description = description }, LeadScorer.DescriptionFactor);

        Assert.Equal(points, factor.Points);
        Assert.Equal(15, factor.Max);
        Assert.Contains(reasonPart, factor.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, LeadScore.Cold)]
    [InlineData(39, LeadScore.Cold)]
    [InlineData(40, LeadScore.Warm)]
    [InlineData(69, LeadScore.Warm)]
    [InlineData(70, LeadScore.Hot)]
    [InlineData(100, LeadScore.Hot)]
    public void BandBoundaries(int score, LeadScore band) => Assert.Equal(band, LeadScorer.BandOf(score, Defaults));

    [Theory]
    [InlineData(59, LeadScore.Warm)]
    [InlineData(60, LeadScore.Hot)]
    [InlineData(19, LeadScore.Cold)]
    [InlineData(20, LeadScore.Warm)]
    public void ThresholdsComeFromConfiguration(int score, LeadScore band) =>
        Assert.Equal(band, LeadScorer.BandOf(score, new LeadScoringOptions { HotThreshold = 60, WarmThreshold = 20 }));

    [Fact]
    public void TheDefaultMaximaAddUpToOneHundredSoTheScoreIsThePlainSum()
    {
        var result = LeadScorer.Score(Baseline, Defaults);

        Assert.Equal(100, LeadScorer.TotalMax(Defaults));
        Assert.Equal(100, result.Breakdown.Sum(f => f.Max));
        Assert.Equal(result.Breakdown.Sum(f => f.Points), result.Score);
        Assert.Equal(
            [LeadScorer.BudgetFactor, LeadScorer.TimelineFactor, LeadScorer.DecisionMakerFactor, LeadScorer.DescriptionFactor,
             LeadScorer.ContactFactor, LeadScorer.EmailDomainFactor, LeadScorer.ProjectTypeFactor],
            result.Breakdown.Select(f => f.Factor));
    }

    public static TheoryData<string, IntakeAnswers, int, LeadScore> Leads => new()
    {
        {
            "enterprise web app, ASAP, decision maker, company email and phone",
            Baseline with
            {
                Budget = BudgetRange.From50kTo150k, Timeline = ProjectTimeline.Asap, Phone = "+14155552671",
                Description = "A patient portal for our 12 clinics: booking, payments with Stripe and a React dashboard.",
            },
            22 + 15 + 15 + (1 + 2 + 3 + 2) + 10 + 10 + 10, LeadScore.Hot
        },
        {
            "the baseline: mid budget, 1-3 months, decision maker, company email",
            Baseline, 16 + 12 + 15 + 1 + 7 + 10 + 10, LeadScore.Hot
        },
        {
            "mobile app, shared decision, gmail",
            Baseline with { ProjectType = ProjectType.Mobile, DecidesBudget = BudgetDecision.Shared, Email = "jane@gmail.com" },
            16 + 12 + 8 + 1 + 7 + 3 + 8, LeadScore.Warm
        },
        {
            "small budget, flexible, not the decision maker, Telegram only, other",
            Baseline with
            {
                ProjectType = ProjectType.Other, Budget = BudgetRange.Under5k, Timeline = ProjectTimeline.SixMonthsOrFlexible,
                DecidesBudget = BudgetDecision.No, Email = null, TelegramIsFine = true,
            },
            0 + 3 + 0 + 1 + 3 + 0 + 3, LeadScore.Cold
        },
    };

    [Theory]
    [MemberData(nameof(Leads))]
    public void WholeLeadsScoreAsTheSumOfTheirFactors(string because, IntakeAnswers answers, int score, LeadScore band)
    {
        var result = LeadScorer.Score(answers, Defaults);

        Assert.True(score == result.Score, $"{because}: expected {score}, got {result.Score}");
        Assert.Equal(band, result.Band);
        Assert.Equal(band.ToString().ToLowerInvariant(), result.BandName);
    }

    [Fact]
    public void UnansweredFactorsScoreNothingAndSaySo()
    {
        var result = LeadScorer.Score(new IntakeAnswers(), Defaults);

        Assert.Equal(0, result.Score);
        Assert.Equal(LeadScore.Cold, result.Band);
        Assert.All(result.Breakdown.Where(f => f.Factor is not (LeadScorer.ContactFactor or LeadScorer.EmailDomainFactor)),
            f => Assert.Equal("Not answered", f.Reason));
    }

    [Fact]
    public void WeightsThatDoNotAddUpToOneHundredAreScaledToZeroToOneHundred()
    {
        var options = new LeadScoringOptions();
        options.Budget[BudgetRange.Over150k] = 50; // maxima now add up to 125
        var answers = Baseline with
        {
            Budget = BudgetRange.Over150k,
            Timeline = ProjectTimeline.Asap,
            Phone = "+14155552671",
            Description = Words(80) + " React dashboard for 200 users",
        };

        var result = LeadScorer.Score(answers, options);

        Assert.Equal(125, LeadScorer.TotalMax(options));
        Assert.Equal(125, result.Breakdown.Sum(f => f.Points));
        Assert.Equal(100, result.Score);
    }

    [Fact]
    public void TheScoreIsRoundedAndStaysWithinZeroToOneHundred()
    {
        var options = new LeadScoringOptions();
        options.Budget[BudgetRange.Over150k] = 26; // maxima 101: 16 + 12 + 15 + 1 + 7 + 10 + 10 = 71 points -> 70.3 -> 70

        Assert.Equal(70, LeadScorer.Score(Baseline, options).Score);
    }

    private static string Words(int count) => string.Join(' ', Enumerable.Repeat("word", count));
}
