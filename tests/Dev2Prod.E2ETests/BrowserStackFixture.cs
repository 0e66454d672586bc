using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.Playwright;

namespace Dev2Prod.E2ETests;

/// <summary>
/// The whole stack plus one headless Debian Chromium (never a downloaded browser: the machine has no internet).
/// Each test opens its own browser context, so cookies never leak between tests. The bot talks to a fake Bot API
/// server on loopback (webhook mode), so tests can post updates and see what the bot and the agents send.
/// </summary>
public sealed class BrowserStackFixture : StackFixture
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public FakeTelegramServer Telegram { get; private set; } = null!;

    protected override IEnumerable<string> ExtraArguments =>
    [
        $"--Parameters:telegram-bot-token={Telegram.Token}",
        $"--Parameters:telegram-api-base-url={Telegram.BaseUrl}",
        "--Parameters:telegram-webhook-url=https://e2e.example.com/telegram/webhook",
    ];

    public static string ArtifactsDirectory { get; } = Path.Combine(RepositoryLayout.Root, "artifacts", "screenshots");

    public override async ValueTask InitializeAsync()
    {
        Telegram = await FakeTelegramServer.StartAsync();
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
            ],
        });
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = EndpointOf(ResourceNames.Admin).ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        if (Telegram is not null)
        {
            await Telegram.DisposeAsync();
        }
    }
}
