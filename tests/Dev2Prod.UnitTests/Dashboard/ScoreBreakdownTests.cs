using Bunit;
using Dev2Prod.Admin.Components.Pages.Leads;
using Dev2Prod.Admin.Features.Leads;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Intake;

namespace Dev2Prod.UnitTests.Dashboard;

public sealed class ScoreBreakdownTests : DashboardComponentContext
{
    [Fact]
    public void EveryFactorIsShownWithItsPointsAndReason()
    {
        ScoreFactor[] factors =
        [
            new("budget", 30, 35, "Budget $25k-$50k"),
            new("timeline", 20, 25, "Within a month"),
            new("decision", 15, 15, "Decides the budget"),
        ];

        var cut = Render<ScoreBreakdown>(p => p.Add(c => c.Score, 65).Add(c => c.Band, LeadScore.Warm).Add(c => c.Factors, factors));

        var rendered = cut.FindAll(".score-factor");
        Assert.Equal(3, rendered.Count);
        Assert.Equal("30 / 35", rendered[0].QuerySelector(".factor-points")!.TextContent.Trim());
        Assert.Contains("Within a month", rendered[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("Warm", cut.Find("#score-band").TextContent.Trim());
        Assert.Empty(cut.FindAll("#score-mismatch"));
    }

    [Fact]
    public void TotalThatDisagreesWithTheFactorsIsFlagged()
    {
        var cut = Render<ScoreBreakdown>(p => p.Add(c => c.Score, 90).Add(c => c.Band, LeadScore.Hot)
            .Add(c => c.Factors, new[] { new ScoreFactor("budget", 10, 35, "Small budget") }));

        Assert.Contains("10", cut.Find("#score-mismatch").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingBreakdownSaysSo()
    {
        var cut = Render<ScoreBreakdown>(p => p.Add(c => c.Score, 40).Add(c => c.Band, LeadScore.Cold)
            .Add(c => c.Factors, LeadQueries.BreakdownOf("not json")));

        Assert.Single(cut.FindAll("#score-no-breakdown"));
    }

    [Fact]
    public void ReasonWithMarkupIsRenderedAsText()
    {
        var cut = Render<ScoreBreakdown>(p => p.Add(c => c.Factors, new[] { new ScoreFactor("description", 5, 10, "<b onclick=alert(1)>x</b>") }));

        Assert.Empty(cut.FindAll(".score-factor b"));
        Assert.Contains("<b onclick=alert(1)>x</b>", cut.Find(".score-factor").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 10, 50)]
    [InlineData(12, 10, 100)]
    [InlineData(-3, 10, 0)]
    [InlineData(4, 0, 0)]
    public void BarIsClampedAndNeverDividesByZero(int points, int max, double expected) =>
        Assert.Equal(expected, ScoreBreakdown.Percent(new ScoreFactor("f", points, max, "")));
}
