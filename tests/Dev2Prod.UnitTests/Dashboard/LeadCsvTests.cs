using Dev2Prod.Admin.Features.Leads;
using Dev2Prod.Core.Domain;

namespace Dev2Prod.UnitTests.Dashboard;

public sealed class LeadCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1 555 0100", "'+1 555 0100")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("Acme, Inc.", "\"Acme, Inc.\"")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void CellsAreNeutralisedAndQuoted(string value, string expected) => Assert.Equal(expected, LeadCsv.Cell(value));

    [Fact]
    public void ExportHasAHeaderAndOneLinePerLeadWithTheAnswers()
    {
        var lead = new LeadRow(12, 34, new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero), "web", 82, LeadScore.Hot, LeadStatus.New,
            "=cmd|' /C calc'!A0", "ann",
            """{"name":"Ann","company":"Acme, Inc.","email":"ann@acme.io","description":"Line one\nline two"}""");

        var lines = LeadCsv.Write([lead]).Split("\r\n");

        Assert.StartsWith("id,created_at_utc,category", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("12,2026-11-25 10:30:00,web,82,Hot,New,'=cmd|' /C calc'!A0,ann,Ann,\"Acme, Inc.\",ann@acme.io", lines[1], StringComparison.Ordinal);
        // The description's line break stays inside one quoted cell.
        Assert.Contains("\"Line one\nline two\",34", LeadCsv.Write([lead]), StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableAnswersStillExportTheLead()
    {
        var lead = new LeadRow(1, 2, DateTimeOffset.UnixEpoch, "ai", 10, LeadScore.Cold, LeadStatus.Lost, "Bo", null, "not json");

        var csv = LeadCsv.Write([lead]);

        Assert.Contains("1,1970-01-01 00:00:00,ai,10,Cold,Lost,Bo,", csv, StringComparison.Ordinal);
    }
}

public sealed class TranscriptTextTests
{
    [Fact]
    public void SentHtmlIsShownAsTheTextTheCustomerRead() =>
        Assert.Equal("Fixed price: 30% & <more>", Dev2Prod.Admin.Features.Conversations.TranscriptText.For(MessageDirection.Outbound, false, "<b>Fixed price</b>: 30% &amp; &lt;more&gt;"));

    [Theory]
    [InlineData(MessageDirection.Inbound, false)]
    [InlineData(MessageDirection.Outbound, true)]
    public void WhatCustomersWroteAndNotesAreKeptExactly(MessageDirection direction, bool isNote) =>
        Assert.Equal("<b>not bold</b> &amp;", Dev2Prod.Admin.Features.Conversations.TranscriptText.For(direction, isNote, "<b>not bold</b> &amp;"));
}
