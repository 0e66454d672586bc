using System.Net;
using Dev2Prod.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using Npgsql;

namespace Dev2Prod.E2ETests.Foundation;

/// <summary>Signing in to the dashboard in a real browser against the real stack.</summary>
public sealed class SignInTests(BrowserStackFixture stack)
{
    [Fact]
    public async Task SeededAdminSignsInAndSeesTheShell()
    {
        var page = await stack.NewPageAsync();

        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await SignInAsync(page, "admin", StackFixture.AdminPassword);

        await Assertions.Expect(page.Locator("#app-state[data-interactive='true']")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("admin (Admin)");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Assertions.Expect(page.Locator("#kpi-conversations")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserStackFixture.ArtifactsDirectory, "overview.png"), FullPage = true });

        await page.Locator("#sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    [Fact]
    public async Task WrongPasswordIsRefused()
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync("/account/login");

        await SignInAsync(page, "admin", "not-the-password");

        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("Wrong user name or password.");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserStackFixture.ArtifactsDirectory, "login-refused.png") });
    }

    [Fact]
    public async Task AnonymousRequestForAnAdminPageIsRedirectedToLogin()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.EndpointOf(ResourceNames.Admin) };

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountEvenForTheRightPassword()
    {
        const string password = "Lockout-test-password-1";
        var userName = $"lockout-{Guid.NewGuid():N}"[..20];
        await InsertViewerAsync(userName, password);
        var page = await stack.NewPageAsync();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GotoAsync("/account/login");
            await SignInAsync(page, userName, "wrong-password");
            await Assertions.Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        }

        await page.GotoAsync("/account/login");
        await SignInAsync(page, userName, password);

        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("locked");
    }

    private static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#sign-in").ClickAsync();
    }

    private async Task InsertViewerAsync(string userName, string password)
    {
        await using var connection = new NpgsqlConnection(await stack.ConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO dashboard_users (user_name, password_hash, role, is_disabled, failed_login_count, created_at, security_stamp)
            VALUES (@name, @hash, 'Viewer', false, 0, now(), @stamp)
            """, connection);
        command.Parameters.AddWithValue("name", userName);
        command.Parameters.AddWithValue("hash", new PasswordHasher<object>().HashPassword(new object(), password));
        command.Parameters.AddWithValue("stamp", Guid.NewGuid().ToString("N"));
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
