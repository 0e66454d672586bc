using Dev2Prod.Testing;
using Microsoft.Playwright;
using static Dev2Prod.E2ETests.Dashboard.DashboardSession;

namespace Dev2Prod.E2ETests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class LeadsAndAuditTests(BrowserStackFixture stack)
{
    [Fact]
    public async Task SupervisorExportsLeadsAsSafeCsvAndTheExportIsAudited()
    {
        var conversationId = await InsertWaitingConversationAsync(stack, "=HYPERLINK(\"http://evil.example\",\"click\")");
        var leadId = await ScalarAsync<long>(stack,
            """
            INSERT INTO leads (conversation_id, telegram_user_id, category, answers_json, score, score_band, score_breakdown_json, status, created_at, updated_at)
            SELECT id, telegram_user_id, 'web', @answers::jsonb, 72, 'Warm', @breakdown::jsonb, 'New', now(), now() FROM conversations WHERE id = @id
            RETURNING id
            """,
            ("id", conversationId),
            ("answers", """{"name":"@SUM(1+1)","company":"Acme, Inc.","email":"ann@acme.io","description":"We need a shop"}"""),
            ("breakdown", """[{"factor":"budget","points":30,"max":35,"reason":"Budget $25k-$50k"},{"factor":"timeline","points":42,"max":65,"reason":"Soon"}]"""));
        var supervisor = await CreateUserAsync(stack, "Supervisor");
        var page = await SignInAsync(stack, supervisor, UserPassword);

        await OpenAsync(page, $"/leads/{leadId}");
        await Assertions.Expect(page.Locator(".score-factor")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#lead-answers")).ToContainTextAsync("@SUM(1+1)");
        await page.Locator("#lead-status-contacted").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Contacted");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("lead-detail"), FullPage = true });

        await OpenAsync(page, "/leads");
        await Assertions.Expect(page.Locator("#leads-grid")).ToContainTextAsync("HYPERLINK");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("leads"), FullPage = true });
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#leads-export").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);

        var line = csv.Split("\r\n").Single(l => l.StartsWith($"{leadId},", StringComparison.Ordinal));
        Assert.Contains(",Contacted,", line, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", line, StringComparison.Ordinal);
        Assert.Contains(",'@SUM(1+1),\"Acme, Inc.\",ann@acme.io,", line, StringComparison.Ordinal);

        // The status change and the export are in the audit log, which an Admin reads.
        var admin = await SignInAsync(stack, "admin", StackFixture.AdminPassword);
        await OpenAsync(admin, "/audit");
        await admin.Locator("#audit-actor").FillAsync(supervisor);
        await Assertions.Expect(admin.Locator("#audit-grid")).ToContainTextAsync("leads.export");
        await Assertions.Expect(admin.Locator("#audit-grid")).ToContainTextAsync("lead.status");
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("audit-log"), FullPage = true });

        await OpenAsync(admin, "/");
        await Assertions.Expect(admin.Locator("#kpi-conversion")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#kpi-handoff")).ToBeVisibleAsync();
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("overview-kpis"), FullPage = true });
    }
}
