using System.Text.RegularExpressions;
using Dev2Prod.Testing;
using Microsoft.Playwright;
using Npgsql;

namespace Dev2Prod.E2ETests.Dashboard;

/// <summary>
/// Steps the dashboard tests share: signing in, creating users through the Users page (the way an Admin does),
/// picking from MudBlazor selects, and direct SQL for setting up data the bot would otherwise take many turns to make.
/// </summary>
internal static partial class DashboardSession
{
    public const string UserPassword = "E2e-user-password-1";

    public static string Screenshot(string name) => Path.Combine(BrowserStackFixture.ArtifactsDirectory, name + ".png");

    public static async Task<IPage> SignInAsync(BrowserStackFixture stack, string userName, string password)
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync(userName);
        await WaitInteractiveAsync(page);
        return page;
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("#app-state[data-interactive='true']")).ToBeAttachedAsync();

    /// <summary>Opens a page by URL (a full load, like typing it) and waits for the circuit.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
    }

    /// <summary>Picks <paramref name="option"/> in the MudSelect whose input has <paramref name="selectId"/>.</summary>
    public static async Task ChooseAsync(IPage page, string selectId, string option)
    {
        // MudSelect keeps its input hidden and opens on a click anywhere in its box.
        await page.Locator(".mud-select").Filter(new LocatorFilterOptions { Has = page.Locator($"#{selectId}") }).First.ClickAsync();
        var popover = page.Locator(".mud-popover-open");
        await popover.GetByText(option, new LocatorGetByTextOptions { Exact = true }).First.ClickAsync();
        await Assertions.Expect(popover).ToHaveCountAsync(0);
    }

    /// <summary>Signs in as the seeded admin and creates a user with <paramref name="role"/> on the Users page.</summary>
    public static async Task<string> CreateUserAsync(BrowserStackFixture stack, string role, IPage? adminPage = null)
    {
        var userName = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..20];
        var page = adminPage ?? await SignInAsync(stack, "admin", StackFixture.AdminPassword);
        await OpenAsync(page, "/users");
        await page.Locator("#new-user-name").FillAsync(userName);
        await page.Locator("#new-user-password").FillAsync(UserPassword);
        await ChooseAsync(page, "new-user-role", role);
        await page.Locator("#create-user").ClickAsync();
        await Assertions.Expect(page.Locator($"td[data-user='{userName}']")).ToBeVisibleAsync();
        if (adminPage is null)
        {
            await page.Context.CloseAsync();
        }

        return userName;
    }

    public static async Task<T> ScalarAsync<T>(BrowserStackFixture stack, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await stack.ConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public static async Task ExecuteAsync(BrowserStackFixture stack, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(await stack.ConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A customer with a conversation waiting for an agent, made straight in the database.</summary>
    public static async Task<long> InsertWaitingConversationAsync(BrowserStackFixture stack, string customerName)
    {
        var userId = Random.Shared.NextInt64(7_000_000_000, 8_000_000_000);
        await ExecuteAsync(stack,
            """
            INSERT INTO telegram_users (id, first_name, is_blocked, created_at, last_seen_at) VALUES (@id, @name, false, now(), now());
            """, ("id", userId), ("name", customerName));
        return await ScalarAsync<long>(stack,
            """
            INSERT INTO conversations (telegram_user_id, chat_id, status, started_at, last_message_at, escalated_at, escalation_reason, session_json)
            VALUES (@id, @id, 'WaitingForAgent', now(), now(), now(), 'user_request', '{}') RETURNING id
            """, ("id", userId));
    }

    [GeneratedRegex("/account/login")]
    public static partial Regex LoginUrl();
}
