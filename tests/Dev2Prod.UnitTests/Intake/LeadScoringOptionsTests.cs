using Dev2Prod.Core.Features.Intake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dev2Prod.UnitTests.Intake;

public sealed class LeadScoringOptionsTests
{
    private static IServiceProvider Services(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLeadScoring().BuildServiceProvider();
    }

    [Fact]
    public void TheDefaultsAreValid() =>
        Assert.Equal(ValidateOptionsResult.Success, new LeadScoringOptionsValidator().Validate(null, new LeadScoringOptions()));

    [Fact]
    public void WeightsAndThresholdsAreBoundFromIntakeScoring()
    {
        var options = Services(
                ("Intake:Scoring:HotThreshold", "80"),
                ("Intake:Scoring:WarmThreshold", "50"),
                ("Intake:Scoring:Budget:Over150k", "30"),
                ("Intake:Scoring:Description:TechnologyPoints", "4"),
                ("Intake:Scoring:EmailDomain:AdditionalFreeMailDomains:0", "freemail.example"))
            .GetRequiredService<IOptions<LeadScoringOptions>>().Value;

        Assert.Equal(80, options.HotThreshold);
        Assert.Equal(50, options.WarmThreshold);
        Assert.Equal(30, options.Budget[BudgetRange.Over150k]);
        Assert.Equal(22, options.Budget[BudgetRange.From50kTo150k]); // unset keys keep their defaults
        Assert.Equal(4, options.Description.TechnologyPoints);
        Assert.Equal(["freemail.example"], options.EmailDomain.AdditionalFreeMailDomains);
    }

    [Fact]
    public void EveryInvalidSettingIsNamedAtOnce()
    {
        var services = Services(
            ("Intake:Scoring:HotThreshold", "101"),
            ("Intake:Scoring:WarmThreshold", "0"),
            ("Intake:Scoring:Timeline:Asap", "-5"),
            ("Intake:Scoring:Description:SomeDetailWords", "200"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LeadScoringOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Intake:Scoring:HotThreshold", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Intake:Scoring:WarmThreshold", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Intake:Scoring:Timeline:Asap", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Intake:Scoring:Description:SomeDetailWords", StringComparison.Ordinal));
    }

    [Fact]
    public void WarmMustStayBelowHot()
    {
        var result = new LeadScoringOptionsValidator().Validate(null, new LeadScoringOptions { HotThreshold = 50, WarmThreshold = 50 });

        Assert.True(result.Failed);
        Assert.Contains("Intake:Scoring:WarmThreshold", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void TheScorerReadsTheCurrentConfiguration()
    {
        var scorer = Services(("Intake:Scoring:HotThreshold", "95")).GetRequiredService<LeadScorer>();

        var result = scorer.Score(new IntakeAnswers
        {
            ProjectType = ProjectType.Web,
            Description = "A patient portal for our 12 clinics: booking, payments with Stripe and a React dashboard.",
            Budget = BudgetRange.From50kTo150k,
            Timeline = ProjectTimeline.Asap,
            Name = "Jane",
            DecidesBudget = BudgetDecision.Yes,
            Email = "jane@acme.com",
            Phone = "+14155552671",
        });

        Assert.Equal(90, result.Score);
        Assert.Equal(Dev2Prod.Core.Domain.LeadScore.Warm, result.Band);
    }
}
