using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Api.Features.Conversations.Handlers;
using Dev2Prod.Api.Features.RateLimiting;
using Dev2Prod.Core.Telegram;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Api.Features.Telegram;

public static partial class TelegramGatewayExtensions
{
    /// <summary>
    /// The spine every conversation feature plugs into: the Telegram client, the inbox (webhook and polling),
    /// the update pipeline and dispatcher with the built-in commands, sessions and per-user limits.
    /// </summary>
    public static IHostApplicationBuilder AddTelegramGateway(this IHostApplicationBuilder builder)
    {
        builder.AddTelegram();

        builder.Services.AddScoped<InboxWriter>();
        builder.Services.AddSingleton<InboxProcessorSignal>();
        builder.Services.AddHostedService<InboxProcessor>();
        builder.Services.AddScoped<UpdatePipeline>();
        builder.Services.AddScoped<UpdateDispatcher>();
        builder.Services.AddScoped<ConversationDirectory>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<UserRateLimiter>();
        builder.Services.AddSingleton<WebhookCommands>();

        builder.Services.AddCommandHandler<StartAndHelpCommands>();
        builder.Services.AddCommandHandler<CancelCommand>();
        builder.Services.AddTextHandler<NotUnderstoodTextHandler>();
        builder.Services.AddMediaHandler<UnsupportedContentHandler>();

        builder.Services.AddHostedService<TelegramReceiverSelector>();
        return builder;
    }
}

/// <summary>
/// Starts the receiving side that the configuration asks for: long polling, webhook registration, or nothing
/// (no token: logged once, clearly; the Api stays up and healthy and the webhook still records updates).
/// </summary>
public sealed partial class TelegramReceiverSelector(IServiceProvider services, IOptions<TelegramOptions> options, ILogger<TelegramReceiverSelector> logger)
    : IHostedService
{
    private IHostedService? _receiver;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            LogDisabled(logger);
            return;
        }

        _receiver = settings.EffectiveMode switch
        {
            TelegramMode.Polling => ActivatorUtilities.CreateInstance<TelegramPoller>(services),
            TelegramMode.Webhook when settings.RegisterWebhookOnStart => ActivatorUtilities.CreateInstance<WebhookRegistrar>(services),
            _ => null,
        };
        LogMode(logger, settings.EffectiveMode);
        if (_receiver is not null)
        {
            await _receiver.StartAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _receiver?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram is disabled: Telegram:BotToken is not set. The Api runs; nothing is received from or sent to Telegram.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram receiving mode: {Mode}")]
    private static partial void LogMode(ILogger logger, TelegramMode mode);
}
