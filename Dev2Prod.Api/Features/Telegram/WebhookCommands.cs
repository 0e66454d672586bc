using Dev2Prod.Core.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Dev2Prod.Api.Features.Telegram;

/// <summary>Setting, deleting and checking the webhook: used at start-up and by the <c>set-webhook</c> command.</summary>
public sealed class WebhookCommands(ITelegramBotClient bot, IOptions<TelegramOptions> options, TimeProvider time)
{
    /// <summary>Errors Telegram reported within this window make <c>--verify</c> fail.</summary>
    public static readonly TimeSpan RecentErrorWindow = TimeSpan.FromMinutes(30);

    public Task SetAsync(string url, CancellationToken cancellationToken) =>
        bot.SetWebhook(url,
            maxConnections: options.Value.MaxConnections,
            allowedUpdates: TelegramOptions.AllowedUpdates,
            secretToken: options.Value.WebhookSecret,
            cancellationToken: cancellationToken);

    public Task DeleteAsync(CancellationToken cancellationToken) => bot.DeleteWebhook(cancellationToken: cancellationToken);

    /// <summary>Reads getWebhookInfo; the result lists what is wrong (empty when all is well).</summary>
    public async Task<(global::Telegram.Bot.Types.WebhookInfo Info, List<string> Problems)> VerifyAsync(string? expectedUrl, CancellationToken cancellationToken)
    {
        var info = await bot.GetWebhookInfo(cancellationToken);
        var problems = new List<string>();
        if (expectedUrl is not null && !string.Equals(info.Url, expectedUrl, StringComparison.Ordinal))
        {
            problems.Add($"Telegram's webhook URL is '{info.Url}', expected '{expectedUrl}'.");
        }

        if (info.LastErrorDate is { } lastError && time.GetUtcNow() - new DateTimeOffset(lastError, TimeSpan.Zero) < RecentErrorWindow)
        {
            problems.Add($"Telegram reported an error at {lastError:u}: {info.LastErrorMessage}");
        }

        return (info, problems);
    }
}

/// <summary>Registers the webhook when the Api starts in webhook mode (idempotent: every replica may do it).</summary>
public sealed partial class WebhookRegistrar(WebhookCommands commands, IOptions<TelegramOptions> options, ILogger<WebhookRegistrar> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = options.Value.WebhookUrl!;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await commands.SetAsync(url, stoppingToken);
                LogRegistered(logger, url);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt)));
                LogFailed(logger, e.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram webhook registered at {Url}")]
    private static partial void LogRegistered(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the Telegram webhook failed ({ErrorType}); retrying in {DelaySeconds} s")]
    private static partial void LogFailed(ILogger logger, string errorType, double delaySeconds);
}
