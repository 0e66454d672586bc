using System.Text.RegularExpressions;
using Dev2Prod.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using Npgsql;

namespace Dev2Prod.E2ETests.Dashboard.Tools;

/// <summary>Signing in as a given role and driving the FAQ, LLM and Try-the-bot pages.</summary>
internal static class ToolsSession
{
    public static readonly TimeSpan BotReplyTimeout = TimeSpan.FromSeconds(60);

    public static async Task<IPage> SignInAsync(BrowserStackFixture stack, string userName, string password)
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#app-state[data-interactive='true']")).ToBeAttachedAsync();
        return page;
    }

    public static Task<IPage> SignInAsAdminAsync(BrowserStackFixture stack) => SignInAsync(stack, "admin", StackFixture.AdminPassword);

    /// <summary>A new dashboard user with the role; returns the page signed in as them.</summary>
    public static async Task<IPage> SignInAsNewUserAsync(BrowserStackFixture stack, string role)
    {
        var userName = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..20];
        const string password = "Tools-test-password-1";
        await using var connection = await OpenDatabaseAsync(stack);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO dashboard_users (user_name, password_hash, role, is_disabled, failed_login_count, created_at, security_stamp)
            VALUES (@name, @hash, @role, false, 0, now(), @stamp)
            """, connection);
        command.Parameters.AddWithValue("name", userName);
        command.Parameters.AddWithValue("hash", new PasswordHasher<object>().HashPassword(new object(), password));
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("stamp", Guid.NewGuid().ToString("N"));
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return await SignInAsync(stack, userName, password);
    }

    public static async Task<NpgsqlConnection> OpenDatabaseAsync(BrowserStackFixture stack)
    {
        var connection = new NpgsqlConnection(await stack.ConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Opens a page by URL (a full load, as typing it in the address bar) and waits for the circuit.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("#app-state[data-interactive='true']")).ToBeAttachedAsync();
    }

    /// <summary>Types a message in Try the bot and sends it; waits until the page shows it as sent.</summary>
    public static async Task SendAsync(IPage page, string text)
    {
        var mine = page.Locator(".sim-msg.user");
        var before = await mine.CountAsync();
        await page.Locator("#sim-input input").FillAsync(text);
        await page.Locator("#sim-send").ClickAsync();
        await Assertions.Expect(mine).ToHaveCountAsync(before + 1);
    }

    /// <summary>Presses the newest button with exactly this label (waits until the bot shows it).</summary>
    public static async Task PressAsync(IPage page, string label)
    {
        var button = page.Locator("button.sim-button").Filter(new LocatorFilterOptions { HasTextRegex = new Regex($"^\\s*{Regex.Escape(label)}\\s*$") }).Last;
        await button.ClickAsync(new LocatorClickOptions { Timeout = (float)BotReplyTimeout.TotalMilliseconds });
        await Assertions.Expect(page.Locator(".sim-msg.user").Last).ToContainTextAsync(label);
    }

    /// <summary>Waits for a bot message containing the text.</summary>
    public static Task ExpectBotSaysAsync(IPage page, string text) =>
        Assertions.Expect(page.Locator(".sim-msg.bot").Filter(new LocatorFilterOptions { HasText = text }).Last)
            .ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)BotReplyTimeout.TotalMilliseconds });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserStackFixture.ArtifactsDirectory, name), FullPage = true });
}
