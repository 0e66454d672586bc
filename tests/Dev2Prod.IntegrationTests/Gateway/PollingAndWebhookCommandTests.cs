using System.Diagnostics;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;

namespace Dev2Prod.IntegrationTests.Gateway;

/// <summary>Long polling end to end, the set-webhook command, and running without a token.</summary>
public sealed class PollingAndWebhookCommandTests(StackFixture stack)
{
    [Fact]
    public async Task PollingModeAnswersStartWithTheGreetingAndMenu()
    {
        await using var host = await GatewayHost.StartAsync(stack, new Dictionary<string, string?> { ["Telegram:Mode"] = "Polling" });

        await host.Telegram.EnqueueUpdateAsync(Updates.Text(840_001, 6201, "/start", firstName: "Polly"));
        var reply = await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == 6201, GatewayHost.Timeout);

        Assert.NotEmpty(host.Telegram.CallsTo("deleteWebhook"));
        Assert.Contains("Hi Polly!", reply.Text("text"), StringComparison.Ordinal);
        Assert.Contains("Here's what I can do", reply.Text("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetWebhookCommandRegistersWithSecretAndVerifies()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        const string url = "https://bot.example.com/telegram/webhook";

        var (exitCode, output) = await RunApiCommandAsync(telegram, "set-webhook", "--url", url, "--verify");

        Assert.True(exitCode == 0, output);
        Assert.Equal(url, telegram.WebhookUrl);
        Assert.Equal("command-test-secret", telegram.WebhookSecretToken);
        Assert.Equal(40, telegram.WebhookMaxConnections);
        Assert.Contains("callback_query", telegram.WebhookAllowedUpdates!);
        Assert.Contains($"url: {url}", output, StringComparison.Ordinal);
        Assert.Contains("pending_update_count: 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFailsWhenTelegramReportsARecentError()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        const string url = "https://bot.example.com/telegram/webhook";
        await RunApiCommandAsync(telegram, "set-webhook", "--url", url);
        telegram.SetWebhookError(DateTimeOffset.UtcNow.AddMinutes(-2), "Wrong response from the webhook: 503 Service Unavailable");

        var (exitCode, output) = await RunApiCommandAsync(telegram, "set-webhook", "--verify");

        Assert.Equal(1, exitCode);
        Assert.Contains("503 Service Unavailable", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFailsWhenTheUrlDiffers()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await RunApiCommandAsync(telegram, "set-webhook", "--url", "https://old.example.com/telegram/webhook");

        var (exitCode, output) = await RunApiCommandAsync(telegram, "set-webhook", "--verify",
            "--Telegram:WebhookUrl=https://new.example.com/telegram/webhook");

        Assert.Equal(1, exitCode);
        Assert.Contains("expected 'https://new.example.com/telegram/webhook'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutATokenTheApiStaysHealthyAndSaysTelegramIsDisabled()
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__botdb"] = new Npgsql.NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync(ResourceNames.Database)) { Database = $"notoken_{Guid.NewGuid():N}" }.ConnectionString,
            ["ConnectionStrings__redis"] = await stack.ConnectionStringAsync(ResourceNames.Redis),
            // Required outside Development (the attachments volume in production).
            ["Files__Root"] = Path.Combine(Path.GetTempPath(), $"dev2prod-files-{Guid.NewGuid():N}"),
        };

        await using var api = ServiceProcess.Start("Dev2Prod.Api", environment);
        var healthy = await api.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));

        Assert.True(healthy, api.Output);
        Assert.Single(api.Output.Split('\n'), line => line.Contains("Telegram is disabled: Telegram:BotToken is not set", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunApiCommandAsync(FakeTelegramServer telegram, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(RepositoryLayout.ServiceAssembly("Dev2Prod.Api"))!,
        };
        info.ArgumentList.Add(RepositoryLayout.ServiceAssembly("Dev2Prod.Api"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Telegram__BotToken"] = telegram.Token;
        info.Environment["Telegram__ApiBaseUrl"] = telegram.BaseUrl;
        info.Environment["Telegram__WebhookSecret"] = "command-test-secret";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
