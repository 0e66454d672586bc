using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Observability;
using Dev2Prod.Core.Telegram;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Dev2Prod.Api.Features.Telegram;

/// <summary>
/// <c>POST /telegram/webhook</c>: authenticates Telegram by the secret header, parses the update, records it in
/// the inbox and answers. 200 means "recorded, will be handled"; 503 asks Telegram to redeliver later.
/// </summary>
public static partial class TelegramWebhookApi
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        var path = app.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value.WebhookPath;
        app.MapPost(path, HandleUpdateAsync)
            .WithName("TelegramWebhook")
            .WithSummary("Receives Telegram updates (webhook mode).")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<Ok, UnauthorizedHttpResult, ProblemHttpResult>> HandleUpdateAsync(
        HttpContext context,
        IOptionsMonitor<TelegramOptions> options,
        InboxWriter inbox,
        InboxProcessorSignal processor,
        BotMetrics metrics,
        ILogger<InboxWriter> logger)
    {
        var settings = options.CurrentValue;
        if (!IsAuthentic(context.Request.Headers[SecretHeader], settings.WebhookSecret))
        {
            metrics.WebhookRejected("unauthorized");
            LogUnauthorized(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return TypedResults.Unauthorized();
        }

        var body = await ReadBodyAsync(context.Request, settings.MaxUpdateBytes, context.RequestAborted);
        if (body is null)
        {
            metrics.WebhookRejected("malformed");
            LogMalformed(logger, "body too large");
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Update too large",
                detail: $"Updates larger than {settings.MaxUpdateBytes} bytes are not accepted.");
        }

        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options);
        }
        catch (JsonException e)
        {
            // Position only: the body may contain personal data.
            metrics.WebhookRejected("malformed");
            LogMalformed(logger, $"invalid JSON at line {e.LineNumber}, byte {e.BytePositionInLine}");
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed update",
                detail: "The request body is not a valid Telegram Update (JSON).");
        }

        if (update is null)
        {
            metrics.WebhookRejected("malformed");
            LogMalformed(logger, "empty JSON");
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed update", detail: "The request body is empty.");
        }

        try
        {
            var outcome = await inbox.RecordAsync(update, Encoding.UTF8.GetString(body), context.RequestAborted);
            if (outcome == RecordOutcome.Recorded)
            {
                processor.Notify();
            }
            else
            {
                LogNotRecorded(logger, update.Id, outcome);
            }

            return TypedResults.Ok();
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            metrics.WebhookRejected("unavailable");
            LogUnavailable(logger, update.Id, e.GetType().Name);
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable",
                detail: "The update could not be recorded; Telegram will deliver it again.");
        }
    }

    /// <summary>Constant-time comparison, so response timing does not leak how much of a guess was right.</summary>
    internal static bool IsAuthentic(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook request refused: missing or wrong secret token (from {RemoteAddress})")]
    private static partial void LogUnauthorized(ILogger logger, [Identifier] string remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook request refused: malformed update ({Reason})")]
    private static partial void LogMalformed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Update {UpdateId} not recorded: {Outcome}")]
    private static partial void LogNotRecorded(ILogger logger, long updateId, RecordOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Update {UpdateId} could not be recorded ({ErrorType}); answered 503 so Telegram redelivers it")]
    private static partial void LogUnavailable(ILogger logger, long updateId, string errorType);
}
