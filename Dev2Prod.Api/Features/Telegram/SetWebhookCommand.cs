using Dev2Prod.Core.Telegram;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Api.Features.Telegram;

/// <summary>
/// <c>dotnet run --project Dev2Prod.Api -- set-webhook [--url URL] [--delete] [--verify]</c>: sets the webhook
/// (URL from --url or Telegram:WebhookUrl) with the secret, allowed_updates and max_connections; --delete removes
/// it; --verify prints getWebhookInfo and exits 1 if the URL differs or Telegram reports a recent error.
/// Uses the same configuration as the Api (appsettings, environment, user secrets) and needs no database.
/// </summary>
public static class SetWebhookCommand
{
    public const string Name = "set-webhook";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = ValueOf(args, "--url");
        var delete = args.Contains("--delete");
        var verify = args.Contains("--verify");
        // --Key=Value arguments override configuration, as for the Api itself.
        var configuration = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
        if (args.Except(["--delete", "--verify", "--url", url ?? "", .. configuration]).Any())
        {
            await Console.Error.WriteLineAsync("usage: set-webhook [--url URL] [--delete] [--verify] [--Telegram:Key=value ...]");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(configuration);
        // In Kubernetes the bot token and webhook secret are mounted files, as for the Api itself.
        builder.Configuration.AddSecretFiles(builder.Configuration[SecretFiles.DirectoryVariable]);
        builder.AddTelegram();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WebhookCommands>();
        using var host = builder.Build();

        TelegramOptions options;
        try
        {
            options = host.Services.GetRequiredService<IOptions<TelegramOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, e.Failures));
            return 2;
        }

        if (!options.IsEnabled)
        {
            await Console.Error.WriteLineAsync("Telegram:BotToken is not set.");
            return 2;
        }

        url ??= options.WebhookUrl;
        var commands = host.Services.GetRequiredService<WebhookCommands>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (delete)
        {
            await commands.DeleteAsync(timeout.Token);
            Console.WriteLine("Webhook deleted.");
        }
        else if (!verify || ValueOf(args, "--url") is not null)
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                await Console.Error.WriteLineAsync("No URL: pass --url or set Telegram:WebhookUrl.");
                return 2;
            }

            if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                await Console.Error.WriteLineAsync("Telegram:WebhookSecret is not set: refusing to register a webhook anyone could post to.");
                return 2;
            }

            await commands.SetAsync(url, timeout.Token);
            Console.WriteLine($"Webhook set to {url} (max_connections {options.MaxConnections}, allowed_updates {string.Join(",", TelegramOptions.AllowedUpdates)}).");
        }

        if (!verify)
        {
            return 0;
        }

        var (info, problems) = await commands.VerifyAsync(delete ? "" : url, timeout.Token);
        Console.WriteLine($"url: {(string.IsNullOrEmpty(info.Url) ? "(none)" : info.Url)}");
        Console.WriteLine($"pending_update_count: {info.PendingUpdateCount}");
        Console.WriteLine($"last_error: {(info.LastErrorDate is { } at ? $"{at:u} {info.LastErrorMessage}" : "(none)")}");
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync("PROBLEM: " + problem);
        }

        return problems.Count == 0 ? 0 : 1;
    }

    private static string? ValueOf(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
