using System.Net;
using Dev2Prod.Testing;
using Microsoft.Playwright;
using static Dev2Prod.E2ETests.Dashboard.DashboardSession;

namespace Dev2Prod.E2ETests.Dashboard;

/// <summary>
/// What each of the four roles sees and may do, in a real browser: the menu, direct URLs of pages the role may not
/// open, the lead export, and the actions on a conversation waiting for an agent.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RoleMatrixTests(BrowserStackFixture stack)
{
    [Theory]
    [InlineData("Viewer", false, false, false)]
    [InlineData("Agent", false, false, true)]
    [InlineData("Supervisor", false, true, true)]
    [InlineData("Admin", true, true, true)]
    public async Task EachRoleSeesAndMayDoWhatItsRoleAllows(string role, bool admin, bool mayExport, bool mayAct)
    {
        var userName = await CreateUserAsync(stack, role);
        var conversationId = await InsertWaitingConversationAsync(stack, $"Customer of {role}");
        var page = await SignInAsync(stack, userName, UserPassword);

        // The menu shows only what the role may open.
        await Assertions.Expect(page.Locator("#nav-conversations")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-leads")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-users")).ToHaveCountAsync(admin ? 1 : 0);
        await Assertions.Expect(page.Locator("#nav-audit")).ToHaveCountAsync(admin ? 1 : 0);

        // Typing the URL of an Admin page does not open it for anyone else.
        foreach (var path in new[] { "/users", "/audit" })
        {
            await OpenAsync(page, path);
            if (admin)
            {
                await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#access-denied")).ToHaveCountAsync(0);
            }
            else
            {
                await Assertions.Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#users-table, #audit-grid")).ToHaveCountAsync(0);
            }
        }

        // The export button and the export endpoint agree.
        await OpenAsync(page, "/leads");
        await Assertions.Expect(page.Locator("#leads-export")).ToHaveCountAsync(mayExport ? 1 : 0);
        var export = await page.APIRequest.GetAsync("/leads/export.csv", new APIRequestContextOptions { MaxRedirects = 0 });
        if (mayExport)
        {
            Assert.Equal((int)HttpStatusCode.OK, export.Status);
        }
        else
        {
            Assert.NotEqual((int)HttpStatusCode.OK, export.Status);
            Assert.DoesNotContain("created_at_utc", await export.TextAsync(), StringComparison.Ordinal);
        }

        // Conversation actions: Viewers see none; the others are told to link an agent before they can act.
        await OpenAsync(page, $"/conversations/{conversationId}");
        await Assertions.Expect(page.Locator("#conversation-status")).ToHaveTextAsync("WaitingForAgent");
        await Assertions.Expect(page.Locator("#action-claim")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#actions-unavailable")).ToHaveCountAsync(mayAct ? 1 : 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot($"conversation-as-{role.ToLowerInvariant()}"), FullPage = true });
    }

    [Fact]
    public async Task AnonymousVisitorReachesOnlyLoginHealthAndMetrics()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.EndpointOf(ResourceNames.Admin) };
        var ct = TestContext.Current.CancellationToken;

        foreach (var path in new[] { "/conversations", "/conversations/1", "/leads", "/leads/1", "/users", "/audit", "/leads/export.csv" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"{path} answered {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
            }
        }

        using var login = await http.GetAsync(new Uri("/account/login", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Content-Security-Policy"), policy => policy.Contains("script-src 'self'", StringComparison.Ordinal));
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task TheLastAdminCannotBeDemoted()
    {
        // Other tests may have made Admins; take them away so the seeded one is the last.
        await ExecuteAsync(stack, "UPDATE dashboard_users SET role = 'Viewer', security_stamp = md5(random()::text) WHERE role = 'Admin' AND user_name <> 'admin'");
        var page = await SignInAsync(stack, "admin", StackFixture.AdminPassword);
        await OpenAsync(page, "/users");

        await ChooseAsync(page, "role-admin", "Viewer");

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("last Admin");
        Assert.Equal("Admin", await ScalarAsync<string>(stack, "SELECT role FROM dashboard_users WHERE user_name = 'admin'"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("users"), FullPage = true });
    }
}
