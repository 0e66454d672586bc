using System.Net;
using Dev2Prod.Testing;
using Microsoft.Playwright;
using Npgsql;

namespace Dev2Prod.E2ETests.Dashboard.Tools;

/// <summary>
/// Who sees and does what on the FAQ, LLM usage and Try-the-bot pages: links by role, direct URLs, and actions
/// hidden from roles that may not perform them.
/// </summary>
public sealed class ToolsAccessTests(BrowserStackFixture stack)
{
    [Theory]
    [InlineData("/faq")]
    [InlineData("/llm")]
    [InlineData("/try")]
    public async Task AnonymousRequestsAreSentToTheLoginPage(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.EndpointOf(ResourceNames.Admin) };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task AViewerReadsTheFaqAndTriesTheBotButCannotEditOrSeeLlmUsage()
    {
        var page = await ToolsSession.SignInAsNewUserAsync(stack, "Viewer");

        await Assertions.Expect(page.Locator("#nav-faq")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-try")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-llm")).ToHaveCountAsync(0);

        await ToolsSession.OpenAsync(page, "/faq");
        await Assertions.Expect(page.Locator("#faq-read-only")).ToBeVisibleAsync();
        await page.Locator("#faq-topic-nda").ClickAsync();
        await Assertions.Expect(page.Locator("#faq-editor")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#faq-save")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#faq-add-button")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#faq-answer textarea")).ToHaveAttributeAsync("readonly", "");

        await ToolsSession.OpenAsync(page, "/llm");
        await Assertions.Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#llm-budget")).ToHaveCountAsync(0);

        await ToolsSession.OpenAsync(page, "/try");
        await Assertions.Expect(page.Locator("#sim-send")).ToBeAttachedAsync();
    }

    [Fact]
    public async Task AnAgentCannotEditTheFaqOrOpenLlmUsage()
    {
        var page = await ToolsSession.SignInAsNewUserAsync(stack, "Agent");

        await Assertions.Expect(page.Locator("#nav-llm")).ToHaveCountAsync(0);
        await ToolsSession.OpenAsync(page, "/faq");
        await page.Locator("#faq-topic-nda").ClickAsync();
        await Assertions.Expect(page.Locator("#faq-save")).ToHaveCountAsync(0);
        await ToolsSession.OpenAsync(page, "/llm");
        await Assertions.Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ASupervisorEditsTheFaqAndSeesLlmUsageButNotTheBudgetControl()
    {
        var page = await ToolsSession.SignInAsNewUserAsync(stack, "Supervisor");

        await Assertions.Expect(page.Locator("#nav-llm")).ToBeVisibleAsync();
        await ToolsSession.OpenAsync(page, "/faq");
        await page.Locator("#faq-topic-nda").ClickAsync();
        await Assertions.Expect(page.Locator("#faq-save")).ToBeVisibleAsync();

        await ToolsSession.OpenAsync(page, "/llm");
        await Assertions.Expect(page.Locator("#llm-days")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#llm-budget-value")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#llm-budget-input")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#llm-budget-save")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnAdminChangesTheDailyBudgetAndTheChangeIsKeptAndAudited()
    {
        await InsertUsageAsync();
        var page = await ToolsSession.SignInAsAdminAsync(stack);
        await ToolsSession.OpenAsync(page, "/llm");
        await Assertions.Expect(page.Locator("#llm-top-users")).ToContainTextAsync("Spender");

        await page.Locator("#llm-budget-input input").FillAsync("12.5");
        await page.Locator("#llm-budget-save").ClickAsync();
        await Assertions.Expect(page.Locator("#llm-budget-value")).ToHaveTextAsync("$12.50");
        await ToolsSession.ScreenshotAsync(page, "llm-usage.png");

        await ToolsSession.OpenAsync(page, "/llm");
        await Assertions.Expect(page.Locator("#llm-budget-value")).ToHaveTextAsync("$12.50");
        await Assertions.Expect(page.Locator("#llm-budget-source")).ToContainTextAsync("set on this page");
        await using var connection = await ToolsSession.OpenDatabaseAsync(stack);
        await using var command = new NpgsqlCommand("SELECT details FROM audit_log WHERE action = 'llm.budget.set' AND actor = 'admin' ORDER BY id DESC LIMIT 1", connection);
        Assert.EndsWith("-> 12.50 USD", (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, StringComparison.Ordinal);
    }

    private async Task InsertUsageAsync()
    {
        await using var connection = await ToolsSession.OpenDatabaseAsync(stack);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO telegram_users (id, first_name, is_blocked, created_at, last_seen_at) VALUES (555000111, 'Spender', false, now(), now())
            ON CONFLICT (id) DO NOTHING;
            INSERT INTO llm_usages (telegram_user_id, model, input_tokens, output_tokens, cost_usd, latency_ms, outcome, created_at)
            VALUES (555000111, 'test-model', 1000, 200, 0.75, 900, 'success', now()),
                   (555000111, 'test-model', 0, 0, 0, 0, 'rejected_quota', now());
            """, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
