using Microsoft.Playwright;
using Npgsql;

namespace Dev2Prod.E2ETests.Dashboard.Tools;

/// <summary>The FAQ page in a real browser: the classifier box, validation, and an edit the bot uses without a restart.</summary>
public sealed class FaqEditorTests(BrowserStackFixture stack)
{
    [Fact]
    public async Task TheClassifierRankingIsShownForATestPhrase()
    {
        var page = await ToolsSession.SignInAsAdminAsync(stack);
        await ToolsSession.OpenAsync(page, "/faq");

        await page.Locator("#faq-test-input input").FillAsync("where are you based?");
        await page.Locator("#faq-test-run").ClickAsync();

        // The ranking comes from the Api's classifier: allow for a busy machine.
        await Assertions.Expect(page.Locator("#faq-verdict")).ToHaveTextAsync("faq.timezone", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".faq-ranking-row").First).ToHaveAttributeAsync("data-intent", "faq.timezone");
        Assert.True(await page.Locator(".faq-ranking-row").CountAsync() > 1);
    }

    [Fact]
    public async Task InvalidTelegramHtmlIsRefusedAndNothingIsSaved()
    {
        var page = await ToolsSession.SignInAsAdminAsync(stack);
        await ToolsSession.OpenAsync(page, "/faq");
        await page.Locator("#faq-topic-timezone").ClickAsync();

        await page.Locator("#faq-answer textarea").FillAsync("<div>not telegram</div><script>alert(1)</script>");
        await Assertions.Expect(page.Locator(".faq-answer-error")).ToContainTextAsync("Unsupported start tag \"div\"");
        // The preview shows the text as typed, never as markup.
        await Assertions.Expect(page.Locator("#faq-preview .tg-text")).ToHaveTextAsync("<div>not telegram</div><script>alert(1)</script>");
        Assert.Equal(0, await page.Locator("#faq-preview script, #faq-preview div.tg-text div").CountAsync());
        await page.Locator("#faq-save").ClickAsync();

        await Assertions.Expect(page.Locator("#faq-errors")).ToContainTextAsync("not valid Telegram HTML");
        Assert.StartsWith("<b>Where we are</b>", await AnswerAsync("timezone"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditedAnswerIsWhatTheBotSaysNext()
    {
        var marker = $"Edited-{Guid.NewGuid():N}"[..15];
        var page = await ToolsSession.SignInAsAdminAsync(stack);
        await ToolsSession.OpenAsync(page, "/faq");
        await page.Locator("#faq-topic-careers").ClickAsync();
        var answer = page.Locator("#faq-answer textarea");
        var original = await answer.InputValueAsync();

        await answer.FillAsync($"<b>{marker}</b> We are hiring &amp; growing.\n{original}");
        await Assertions.Expect(page.Locator("#faq-preview b").First).ToHaveTextAsync(marker);
        await ToolsSession.ScreenshotAsync(page, "faq.png");
        await page.Locator("#faq-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Saved");
        Assert.Contains(marker, await AnswerAsync("careers"), StringComparison.Ordinal);
        Assert.Equal(1L, await AuditRowsAsync("faq.edit", "careers", "admin"));

        // The Api reloads its classifier in the background (a few seconds): ask until the new answer comes, bounded.
        await ToolsSession.OpenAsync(page, "/try");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var answered = false;
        var feedbackQuestions = page.Locator(".sim-msg.bot", new PageLocatorOptions { HasText = "Did this answer your question?" });
        while (!answered && DateTime.UtcNow < deadline)
        {
            var asked = await feedbackQuestions.CountAsync();
            await ToolsSession.SendAsync(page, "are you hiring");
            await Assertions.Expect(feedbackQuestions).ToHaveCountAsync(asked + 1, new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 });
            answered = await page.Locator(".sim-msg.bot", new PageLocatorOptions { HasText = marker }).CountAsync() > 0;
        }

        Assert.True(answered, "the bot never used the edited answer");
        await Assertions.Expect(page.Locator(".sim-msg.bot b", new PageLocatorOptions { HasText = marker }).Last).ToBeVisibleAsync();
    }

    private async Task<string> AnswerAsync(string topicId)
    {
        await using var connection = await ToolsSession.OpenDatabaseAsync(stack);
        await using var command = new NpgsqlCommand("SELECT answer FROM faq_entries WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", topicId);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private async Task<long> AuditRowsAsync(string action, string target, string actor)
    {
        await using var connection = await ToolsSession.OpenDatabaseAsync(stack);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit_log WHERE action = @action AND target = @target AND actor = @actor", connection);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.AddWithValue("target", target);
        command.Parameters.AddWithValue("actor", actor);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
