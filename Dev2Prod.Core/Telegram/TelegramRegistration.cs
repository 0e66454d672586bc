using System.Text.RegularExpressions;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Dev2Prod.Core.Telegram;

public static partial class TelegramRegistration
{
    public const string HttpClientName = "telegram";

    /// <summary>
    /// Telegram options (validated at start-up), the Bot API client pointed at <c>Telegram:ApiBaseUrl</c>, and the
    /// outbox. With no bot token the client is not registered: features check <see cref="TelegramOptions.IsEnabled"/>.
    /// </summary>
    public static IHostApplicationBuilder AddTelegram(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelegramOptions>()
            .BindConfiguration(TelegramOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();

        // The outbox and the poller own retries and back-off (429 retry_after, long polls longer than any
        // standard attempt timeout); the default resilience handler would multiply calls and cut long polls.
#pragma warning disable EXTEXP0001 // Experimental API, the supported way to opt one client out of the defaults.
        builder.Services.AddHttpClient(HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(100))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.Services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            if (!options.IsEnabled)
            {
                throw new InvalidOperationException("Telegram is disabled (Telegram:BotToken is not set); check TelegramOptions.IsEnabled first.");
            }

            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            var clientOptions = new TelegramBotClientOptions(options.BotToken!, string.IsNullOrWhiteSpace(options.ApiBaseUrl) ? null : options.ApiBaseUrl)
            {
                // 429s are handled by the outbox (it honours retry_after without blocking other chats).
                RetryThreshold = 0,
                RetryCount = 0,
            };
            return new TelegramBotClient(clientOptions, http);
        });

        builder.Services.AddScoped<OutboxWriter>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<Simulator.SimulatorStream>();
        return builder;
    }

    [GeneratedRegex(@"^\d{3,}:[A-Za-z0-9_-]{10,}$")]
    internal static partial Regex TokenFormat();
}

/// <summary>Cross-field rules, reported all at once and naming the keys.</summary>
internal sealed class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        var errors = new List<string>();
        if (options.IsEnabled && !TelegramRegistration.TokenFormat().IsMatch(options.BotToken!))
        {
            errors.Add("Telegram:BotToken does not look like a bot token (<digits>:<text>, as @BotFather gives it).");
        }

        if (options.IsEnabled && options.EffectiveMode == TelegramMode.Webhook)
        {
            if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                errors.Add("Telegram:WebhookSecret is required in webhook mode (Telegram sends it with every update).");
            }

            if (string.IsNullOrWhiteSpace(options.WebhookUrl) && options.RegisterWebhookOnStart)
            {
                errors.Add("Telegram:WebhookUrl is required in webhook mode when Telegram:RegisterWebhookOnStart is true.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.WebhookUrl) && !Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out _))
        {
            errors.Add("Telegram:WebhookUrl must be an absolute URL.");
        }

        if (!string.IsNullOrWhiteSpace(options.ApiBaseUrl) && !Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out _))
        {
            errors.Add("Telegram:ApiBaseUrl must be an absolute URL.");
        }

        if (options.AgentGroupChatId is >= 0)
        {
            errors.Add("Telegram:AgentGroupChatId must be a group id (negative, e.g. -1001234567890).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
