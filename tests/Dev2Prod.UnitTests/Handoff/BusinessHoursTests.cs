using Dev2Prod.Core.Features.Handoff;

namespace Dev2Prod.UnitTests.Handoff;

/// <summary>Business hours in the business's own time zone, across a weekend and a daylight-saving change.</summary>
public sealed class BusinessHoursTests
{
    private static readonly BusinessHours Berlin = new(new BusinessHoursOptions { TimeZone = "Europe/Berlin" });

    [Theory]
    [InlineData("2026-11-25T08:00:00Z", true)]   // Wednesday 09:00 in Berlin (UTC+1)
    [InlineData("2026-11-25T07:59:59Z", false)]  // 08:59:59 local
    [InlineData("2026-11-25T16:59:59Z", true)]   // 17:59:59 local
    [InlineData("2026-11-25T17:00:00Z", false)]  // 18:00 local: closed
    [InlineData("2026-11-28T12:00:00Z", false)]  // Saturday
    [InlineData("2026-07-01T07:30:00Z", true)]   // summer (UTC+2): 09:30 local
    public void IsOpenFollowsTheLocalClock(string utc, bool open) =>
        Assert.Equal(open, Berlin.IsOpen(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void NextOpeningAfterAFridayEveningIsMondayMorning()
    {
        var next = Berlin.NextOpening(new DateTimeOffset(2026, 11, 27, 18, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), next?.ToUniversalTime());
        Assert.Equal("Monday 09:00 (Europe/Berlin)", Berlin.DescribeOpening(next!.Value));
    }

    [Fact]
    public void DescribeShowsARangeOfContiguousDays() =>
        Assert.Equal("Mon–Fri 09:00–18:00 (Europe/Berlin)", Berlin.Describe());

    [Fact]
    public void InvalidSettingsAreAllReportedWithTheirKeys()
    {
        var options = new HandoffOptions
        {
            BusinessHours = new BusinessHoursOptions { TimeZone = "Mars/Olympus", Start = new TimeOnly(18, 0), End = new TimeOnly(9, 0) },
            Agents = [new ConfiguredAgent { TelegramUserId = 0, DisplayName = "" }],
        };

        var result = new HandoffOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Handoff:BusinessHours:TimeZone", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Handoff:BusinessHours:End", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Handoff:Agents:0:TelegramUserId", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Handoff:Agents:0:DisplayName", StringComparison.Ordinal));
    }
}
