using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.Playwright;
using static Dev2Prod.E2ETests.Dashboard.DashboardSession;

namespace Dev2Prod.E2ETests.Dashboard;

/// <summary>
/// The conversation pages against the whole stack: messages posted to the Api's webhook appear in an open
/// transcript without a reload, and an agent's reply from the dashboard reaches the customer through the Bot API.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LiveConversationTests(BrowserStackFixture stack)
{
    private static readonly TimeSpan TelegramWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WebhookMessageAppearsLiveAndAgentReplyReachesTheCustomer()
    {
        var customerId = Random.Shared.NextInt64(5_000_000_000, 6_000_000_000);
        var updateId = Random.Shared.NextInt64(100_000_000, 200_000_000);
        const string hostileName = "<script>window.__pwned = 1</script>Eve";
        var webhook = new Uri(stack.EndpointOf(ResourceNames.Api), "/telegram/webhook");

        // The customer writes; the Api opens the conversation. Escalation is the handoff feature's business:
        // here the conversation is marked waiting directly.
        var first = await stack.Telegram.PostToWebhookAsync(webhook, Updates.Text(updateId, customerId, "Hello, I need help with an invoice", firstName: hostileName), StackFixture.WebhookSecret);
        Assert.True(first.IsSuccessStatusCode);
        var conversationId = await WaitForConversationAsync(customerId);
        await ExecuteAsync(stack, "UPDATE conversations SET status = 'WaitingForAgent', escalated_at = now(), escalation_reason = 'user_request' WHERE id = @id", ("id", conversationId));

        // An Admin creates an Agent account and links it to a Telegram user, on the Users page.
        var admin = await SignInAsync(stack, "admin", StackFixture.AdminPassword);
        var agentName = await CreateUserAsync(stack, "Agent", admin);
        await admin.Locator($"#link-{agentName}").ClickAsync();
        await admin.Locator("#link-telegram-id").FillAsync(Random.Shared.NextInt64(1_000_000, 9_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.Locator("#link-display-name").FillAsync("Dana");
        await admin.Locator("#link-save").ClickAsync();
        await Assertions.Expect(admin.Locator("#users-table")).ToContainTextAsync("Dana");

        var page = await SignInAsync(stack, agentName, UserPassword);

        // The grid finds it by full-text search, and the hostile name is plain text.
        await OpenAsync(page, "/conversations");
        await page.Locator("#filter-search").FillAsync("invoice");
        // The row whose id cell is exactly this conversation's id (other tests' conversations share the grid).
        var row = page.Locator($"#conversations-grid tbody tr:has(td:first-child:text-is('{conversationId.ToString(System.Globalization.CultureInfo.InvariantCulture)}'))");
        await Assertions.Expect(row.Locator(".customer-name")).ToHaveTextAsync(hostileName);
        Assert.Equal(0, await page.Locator(".customer-name script").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("conversations"), FullPage = true });

        await row.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/conversations/{conversationId}$"));
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#customer-name")).ToHaveTextAsync(hostileName);
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("invoice");

        // A second message arrives through the webhook while the page is open: it shows up without a reload.
        var second = await stack.Telegram.PostToWebhookAsync(webhook, Updates.Text(updateId + 1, customerId, "Are you there? Order 4711", firstName: hostileName), StackFixture.WebhookSecret);
        Assert.True(second.IsSuccessStatusCode);
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("Order 4711");

        // Claim, then reply: the reply goes out through the outbox to the customer's chat.
        await page.Locator("#action-claim").ClickAsync();
        await Assertions.Expect(page.Locator("#conversation-status")).ToHaveTextAsync("Claimed");
        await Assertions.Expect(page.Locator("#conversation-agent")).ToHaveTextAsync("Dana");
        await page.Locator("#action-text").FillAsync("Hi, this is Dana. Let me check order 4711.");
        await page.Locator("#action-reply").ClickAsync();

        var sent = await stack.Telegram.WaitForCallAsync(
            c => c.Method == "sendMessage" && c.ChatId == customerId && (c.Text("text") ?? "").Contains("Let me check order 4711", StringComparison.Ordinal),
            TelegramWait);
        Assert.NotNull(sent);
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("Let me check order 4711");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("conversation-detail"), FullPage = true });

        // The claim and the reply are in the audit log.
        var audited = await ScalarAsync<long>(stack,
            "SELECT count(*) FROM audit_log WHERE actor = @actor AND action IN ('conversation.claim', 'conversation.reply') AND target = @target",
            ("actor", agentName), ("target", $"conversation:{conversationId}"));
        Assert.Equal(2, audited);
    }

    private async Task<long> WaitForConversationAsync(long customerId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var id = await ScalarAsync<object>(stack, "SELECT coalesce((SELECT id FROM conversations WHERE telegram_user_id = @id ORDER BY id DESC LIMIT 1), 0)", ("id", customerId));
            if (Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) is > 0 and var found)
            {
                return found;
            }

            await Task.Delay(200, cts.Token);
        }
    }
}
