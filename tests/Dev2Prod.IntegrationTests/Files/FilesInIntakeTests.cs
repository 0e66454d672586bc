using System.Text.Json.Nodes;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.IntegrationTests.Intake;
using Dev2Prod.Testing;
using Dev2Prod.Testing.Files;

namespace Dev2Prod.IntegrationTests.Files;

/// <summary>Files during the project intake: stored first, then linked to the lead's answers by the intake.</summary>
public sealed class FilesInIntakeTests(StackFixture stack) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dev2prod-intake-files-" + Guid.NewGuid().ToString("N"));

    private Dictionary<string, string?> Settings() => new()
    {
        ["Files:Root"] = _root,
        ["Telegram:Sending:PerChatPerSecond"] = "100",
        ["Telegram:Sending:PerChatBurst"] = "100",
    };

    [Fact]
    public async Task ABriefAttachedAtStepTwoAnswersItAndIsLinkedToTheLead()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var intake = new IntakeChat(host, 840_001);
        var files = new FileChat(host, intake.UserId, firstUpdateId: intake.UserId * 1_000 + 500);
        await intake.SendAsync("/project");
        await intake.PressAsync("intake:type:web");

        var brief = await files.SendDocumentAsync(TestFiles.Pdf("the brief"), "Brief <final>.pdf");
        await intake.PressAsync("intake:budget:15-50k");
        var screenshot = await files.SendDocumentAsync(TestFiles.Png("the mockup"), "mockup.png");
        await intake.PressAsync("intake:timeline:1-3m");
        await intake.SendAsync("Jane Doe, Acme Ltd");
        await intake.PressAsync("intake:decision:yes");
        var summary = await intake.SendAsync("jane@acme.com");
        await intake.PressAsync("intake:summary:confirm");

        Assert.Contains("Thanks, I've attached Brief final.pdf to your project as the brief ✅", brief.Texts(), StringComparison.Ordinal);
        Assert.Contains("Step 3 of 6", brief.Texts(), StringComparison.Ordinal);
        Assert.DoesNotContain("is saved with your conversation", brief.Texts(), StringComparison.Ordinal);
        Assert.Contains("Thanks, I've attached mockup.png to your project.", screenshot.Texts(), StringComparison.Ordinal);
        Assert.Contains("Step 4 of 6", screenshot.Texts(), StringComparison.Ordinal);
        Assert.Contains("<b>Attachments:</b> Brief final.pdf, mockup.png", string.Join("\n", summary.Select(m => m.Text("text"))), StringComparison.Ordinal);

        var stored = await files.AttachmentsAsync();
        Assert.Equal(["Brief final.pdf", "mockup.png"], stored.Select(a => a.FileName));
        var lead = Assert.Single(await intake.LeadsAsync());
        var answers = JsonNode.Parse(lead.AnswersJson)!;
        Assert.Equal("See the attached brief: Brief final.pdf", answers["description"]!.GetValue<string>());
        Assert.Equal(stored.Select(a => a.Id.ToString()), answers["attachments"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ARefusedFileDuringTheIntakeIsAnsweredAndTheStepStays()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var intake = new IntakeChat(host, 840_002);
        var files = new FileChat(host, intake.UserId, firstUpdateId: intake.UserId * 1_000 + 500);
        await intake.SendAsync("/project");
        await intake.PressAsync("intake:type:web");

        var refused = await files.SendDocumentAsync(TestFiles.Executable(), "brief.pdf");

        Assert.Contains("Sorry, I can't accept this type of file.", refused.Texts(), StringComparison.Ordinal);
        Assert.Empty(await files.AttachmentsAsync());
        Assert.Equal("description", (await intake.StoredSessionAsync())["step"]?.GetValue<string>());
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
