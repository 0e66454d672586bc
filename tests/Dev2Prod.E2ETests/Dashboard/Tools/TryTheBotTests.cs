using Microsoft.Playwright;
using Npgsql;

namespace Dev2Prod.E2ETests.Dashboard.Tools;

/// <summary>Try the bot in a real browser against the whole stack (no Telegram token): the real pipeline answers.</summary>
public sealed class TryTheBotTests(BrowserStackFixture stack)
{
    /// <summary>The start of the reserved range of simulated chats (SimulatedChats.FirstId), plus the dashboard user's id.</summary>
    private const long FirstSimulatedChatId = 9_000_000_000_000_000;

    [Fact]
    public async Task AnAgentAsksAnFaqQuestionThenRunsTheIntakeToAStoredLead()
    {
        var page = await ToolsSession.SignInAsNewUserAsync(stack, "Agent");
        await ToolsSession.OpenAsync(page, "/try");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Try the bot");

        await ToolsSession.SendAsync(page, "will you sign an nda?");
        await ToolsSession.ExpectBotSaysAsync(page, "Yes, we sign NDAs");
        await ToolsSession.ExpectBotSaysAsync(page, "Did this answer your question?");
        // The answer's HTML is rendered as formatting, not shown as tags.
        await Assertions.Expect(page.Locator(".sim-msg.bot b", new PageLocatorOptions { HasText = "Yes, we sign NDAs" }).First).ToBeVisibleAsync();
        await ToolsSession.PressAsync(page, "👍 Yes");

        await ToolsSession.SendAsync(page, "/project");
        await ToolsSession.PressAsync(page, "Other");
        await ToolsSession.SendAsync(page, "Maybe a small website for my hobby, not sure yet.");
        await ToolsSession.PressAsync(page, "< $5k");
        await ToolsSession.PressAsync(page, "6+ months / flexible");
        await ToolsSession.SendAsync(page, "Bob <Tester> & Co");
        await ToolsSession.PressAsync(page, "No");
        await ToolsSession.PressAsync(page, "💬 Telegram is fine");
        await ToolsSession.ExpectBotSaysAsync(page, "Here's your project summary");
        // What the customer typed comes back escaped by the bot and is shown as text, not markup.
        await Assertions.Expect(page.Locator(".sim-msg.bot").Last).ToContainTextAsync("Bob <Tester> & Co");
        await ToolsSession.PressAsync(page, "✅ Confirm");
        await ToolsSession.ExpectBotSaysAsync(page, "come back");
        await ToolsSession.ScreenshotAsync(page, "try-the-bot.png");

        var userId = await DashboardUserIdAsync(page);
        await using var connection = await ToolsSession.OpenDatabaseAsync(stack);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM leads WHERE telegram_user_id = @id", connection);
        command.Parameters.AddWithValue("id", FirstSimulatedChatId + userId);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task TheTranscriptSurvivesAReloadAndStartOverBeginsAgain()
    {
        var page = await ToolsSession.SignInAsNewUserAsync(stack, "Viewer");
        await ToolsSession.OpenAsync(page, "/try");

        await ToolsSession.SendAsync(page, "/start");
        await Assertions.Expect(page.Locator(".sim-msg.bot").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60_000 });
        await ToolsSession.OpenAsync(page, "/try");
        await Assertions.Expect(page.Locator(".sim-msg.user").First).ToContainTextAsync("/start");

        await page.Locator("#sim-restart").ClickAsync();
        await Assertions.Expect(page.Locator(".sim-msg.user")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".sim-msg.bot").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60_000 });
    }

    private async Task<int> DashboardUserIdAsync(IPage page)
    {
        var userName = (await page.Locator("#signed-in-user").InnerTextAsync()).Split(' ')[0];
        await using var connection = await ToolsSession.OpenDatabaseAsync(stack);
        await using var command = new NpgsqlCommand("SELECT id FROM dashboard_users WHERE user_name = @name", connection);
        command.Parameters.AddWithValue("name", userName);
        return (int)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
