using System.Text.Json.Nodes;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.IntegrationTests.Intake;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.IntegrationTests.Observability;

/// <summary>
/// A conversation full of personal data goes through the real pipeline (webhook, inbox, handlers, intake, lead
/// card, outbox sender) with every log entry of the Api and the Worker captured at Debug level: none of the
/// personal data may appear in any entry's message, structured state, scopes or exception.
/// </summary>
public sealed class PersonalDataLoggingTests(StackFixture stack)
{
    private const long UserId = 830_417;
    private const long AgentGroup = -1009876543210;

    // Distinctive values, so a hit can only come from this conversation.
    private const string FirstName = "Zebulon";
    private const string LastName = "Quixotic-Marsh";
    private const string Username = "zq_private_handle";
    private const string Phone = "+44 20 7946 0958";
    private const string SharedPhone = "447700900123";
    private const string Email = "zebulon.qm@example.org";
    private const string Company = "Falconworks Ltd";
    private const string SecretText = "our confidential Blue-Falcon-7731 rollout";
    private const string FileName = "zebulon-passport-scan.pdf";

    private static readonly string[] PersonalData =
    [
        FirstName, LastName, Username, Phone, Phone.Replace(" ", "", StringComparison.Ordinal), SharedPhone, Email, Company,
        SecretText, "Blue-Falcon-7731", FileName,
    ];

    [Fact]
    public async Task NoPersonalDataReachesAnyLogRecord()
    {
        await using var host = await GatewayHost.StartAsync(stack, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Telegram:AgentGroupChatId"] = AgentGroup.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Telegram:Sending:PerChatPerSecond"] = "100",
            ["Telegram:Sending:PerChatBurst"] = "100",
            // Low enough that the conversation runs into it, so the rate-limit log line (with a classified user id) is written.
            ["Telegram:UserLimits:MessagesPerHour"] = "8",
        });
        var chat = new IntakeChat(host, UserId);
        var updateId = (UserId * 1_000) + 500; // clear of the ids IntakeChat gives the button presses

        await chat.ActAsync(AsUser(Updates.Text(++updateId, UserId, "/start")));
        await chat.ActAsync(AsUser(Updates.Text(++updateId, UserId, $"Hi, I am {FirstName} {LastName}, call me on {Phone} or write to {Email}")));
        await chat.ActAsync(AsUser(Updates.Text(++updateId, UserId, "/project")));
        await chat.PressAsync("intake:type:web");
        await chat.ActAsync(AsUser(Updates.Text(++updateId, UserId, $"A booking portal for {Company}: {SecretText} with payments and a staff dashboard.")));
        await chat.PressAsync("intake:budget:50-150k");
        await chat.PressAsync("intake:timeline:asap");
        await chat.ActAsync(AsUser(Updates.Text(++updateId, UserId, $"{FirstName} {LastName}, {Company}")));
        await chat.PressAsync("intake:decision:yes");
        await chat.ActAsync(AsUser(WithContact(Updates.Text(++updateId, UserId, "x"))));
        await chat.ActAsync(AsUser(WithDocument(Updates.Text(++updateId, UserId, "x"))));
        await chat.ActAsync(AsUser(Updates.Text(++updateId, UserId, $"{Email}, {Phone}")));
        await chat.PressAsync("intake:summary:confirm");
        // Over the hourly limit now: the limiter logs the (classified) user id.
        for (var i = 0; i < 3; i++)
        {
            await chat.ActAsync(AsUser(Updates.Text(++updateId, UserId, $"one more thing, {FirstName}: {Email}")));
        }

        // The conversation really ran: a lead card went to the agents' group with the personal data in it.
        var card = host.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == AgentGroup).Select(c => c.Text("text") ?? "").ToList();
        Assert.Contains(card, text => text.Contains(LastName, StringComparison.Ordinal) && text.Contains(SharedPhone, StringComparison.Ordinal));

        var entries = host.ApiLogs.Entries.Concat(host.WorkerLogs.Entries).ToList();
        Assert.True(entries.Count > 50, $"expected the pipeline's own logging to be captured, got {entries.Count} entries");
        var overLimit = entries.Where(e => e.Message.Contains("message limit", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(overLimit);
        Assert.All(overLimit, e => Assert.DoesNotContain(UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), e.AllText, StringComparison.Ordinal));

        var leaks = (from entry in entries
                     from value in PersonalData
                     where entry.AllText.Contains(value, StringComparison.OrdinalIgnoreCase)
                     select $"{value} in [{entry.Level}] {entry.Category}: {entry.AllText}").ToList();
        Assert.True(leaks.Count == 0, "personal data in logs:\n" + string.Join("\n", leaks.Take(10)));
    }

    /// <summary>Gives the update's sender (and private chat) this user's name and username.</summary>
    private static string AsUser(string updateJson)
    {
        var update = JsonNode.Parse(updateJson)!;
        foreach (var person in new[] { update["message"]?["from"], update["message"]?["chat"] })
        {
            if (person is JsonObject p)
            {
                p["first_name"] = FirstName;
                p["last_name"] = LastName;
                p["username"] = Username;
            }
        }

        return update.ToJsonString();
    }

    private static string WithContact(string updateJson)
    {
        var update = JsonNode.Parse(updateJson)!;
        var message = update["message"]!.AsObject();
        message.Remove("text");
        message["contact"] = new JsonObject
        {
            ["phone_number"] = SharedPhone, ["first_name"] = FirstName, ["last_name"] = LastName, ["user_id"] = UserId,
        };
        return update.ToJsonString();
    }

    private static string WithDocument(string updateJson)
    {
        var update = JsonNode.Parse(updateJson)!;
        var message = update["message"]!.AsObject();
        message.Remove("text");
        message["caption"] = $"scan for {FirstName} {LastName}";
        message["document"] = new JsonObject
        {
            ["file_name"] = FileName, ["mime_type"] = "application/pdf", ["file_id"] = "BQACAgIAAxkBAAIBZ2Zq", ["file_unique_id"] = "AgADZ2Zq",
            ["file_size"] = 48_213,
        };
        return update.ToJsonString();
    }
}
