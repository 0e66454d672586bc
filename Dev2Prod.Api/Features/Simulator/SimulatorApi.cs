using System.Globalization;
using System.Text.Json;
using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Api.Features.Faq;
using Dev2Prod.Api.Features.Telegram;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Telegram.Simulator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Dev2Prod.Api.Features.Simulator;

/// <summary>
/// <c>POST /api/simulator/updates</c>: "Try the bot". The dashboard posts a Telegram Update (message or
/// callback_query, Telegram's JSON shape) for a simulated private chat; it is recorded in the same inbox as the
/// webhook and handled by the same pipeline. The bot's replies to simulated chats are delivered to a Redis stream
/// instead of Telegram (see <see cref="SimulatedChats"/>). Requires <c>X-Api-Key</c> (<c>Api:AdminApiKey</c>);
/// with no key configured nobody can use it.
/// </summary>
public static partial class SimulatorApi
{
    /// <summary>Simulated updates are small: text up to 4096 characters, a contact, or a button press.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const int MaxTextLength = 4096;

    /// <summary>What was recorded: the ids the pipeline sees (the page shows the customer's message with its id).</summary>
    public sealed record Accepted(int UpdateId, int? MessageId);

    public static IEndpointRouteBuilder MapSimulatorApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/simulator/updates", PostUpdateAsync)
            .WithName("PostSimulatedUpdate")
            .WithSummary("Feeds a Telegram update for a simulated private chat (Try the bot) into the bot's pipeline.")
            .DisableAntiforgery(); // machine-to-machine with an API key, no cookies involved
        return app;
    }

    public static async Task<Results<Accepted<Accepted>, UnauthorizedHttpResult, ValidationProblem, ProblemHttpResult>> PostUpdateAsync(
        HttpContext context,
        IOptionsMonitor<ApiOptions> options,
        InboxWriter inbox,
        InboxProcessorSignal processor,
        SimulatorStream stream,
        TimeProvider time,
        ILogger<SimulatorStream> logger)
    {
        if (!ApiKeys.Matches(context.Request.Headers["X-Api-Key"], options.CurrentValue.AdminApiKey))
        {
            return TypedResults.Unauthorized();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Invalid("update", $"The update must be at most {MaxBodyBytes} bytes.");
        }

        Update? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options, context.RequestAborted);
        }
        catch (JsonException e)
        {
            LogMalformed(logger, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            return Invalid("update", "The body is not a Telegram Update (JSON).");
        }

        var problem = update is null ? "The body is empty." : Validate(update);
        if (problem is not null)
        {
            return Invalid("update", problem);
        }

        var chatId = InboxWriter.ChatIdOf(update!)!.Value;
        update!.Id = await stream.NextUpdateIdAsync();
        int? messageId = null;
        if (update.Message is { } message)
        {
            // Ids and dates are ours to give, like Telegram's: the page cannot pick ids that collide.
            message.Id = await stream.NextMessageIdAsync(chatId);
            message.Date = time.GetUtcNow().UtcDateTime;
            messageId = message.Id;
        }
        else if (update.CallbackQuery is { } callback && string.IsNullOrEmpty(callback.Id))
        {
            callback.Id = $"sim-{-(long)update.Id}";
        }

        try
        {
            await inbox.RecordSimulatedAsync(update, JsonSerializer.Serialize(update, JsonBotAPI.Options), context.RequestAborted);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable",
                detail: "The update could not be recorded; send it again in a moment.");
        }

        processor.Notify();
        await EchoAsync(stream, chatId, update);
        return TypedResults.Accepted((string?)null, new Accepted(update.Id, messageId));
    }

    /// <summary>Null when the update is one a test customer can send in a private chat with the bot.</summary>
    internal static string? Validate(Update update)
    {
        switch (update)
        {
            case { Message: { } message }:
                if (message.Chat is not { Type: ChatType.Private } chat || message.From is not { } from || chat.Id != from.Id || from.IsBot)
                {
                    return "A simulated message must come from a user in their private chat with the bot (chat.id = from.id).";
                }

                if (!SimulatedChats.Contains(chat.Id))
                {
                    return $"Simulated chats use ids from {SimulatedChats.FirstId} to {SimulatedChats.LastId}.";
                }

                return message switch
                {
                    { Text: { } text } when string.IsNullOrWhiteSpace(text) => "The text is empty.",
                    { Text: { Length: > MaxTextLength } } => $"The text must be at most {MaxTextLength} characters.",
                    { Text: not null } => null,
                    { Contact: { PhoneNumber.Length: > 0 } } => null,
                    _ => "A simulated message carries text or a contact.",
                };

            case { CallbackQuery: { } callback }:
                if (!SimulatedChats.Contains(callback.From.Id) || callback.From.IsBot)
                {
                    return $"Simulated chats use ids from {SimulatedChats.FirstId} to {SimulatedChats.LastId}.";
                }

                if (callback.Message is not { Chat: { } messageChat } || messageChat.Id != callback.From.Id)
                {
                    return "The callback query must name the message (in the same simulated chat) whose button was pressed.";
                }

                return string.IsNullOrEmpty(callback.Data) || System.Text.Encoding.UTF8.GetByteCount(callback.Data) > 64
                    ? "Callback data must be 1-64 bytes."
                    : null;

            default:
                return "Only message and callback_query updates can be simulated.";
        }
    }

    /// <summary>The customer's side of the transcript, so a reloaded page shows both sides in order.</summary>
    private static Task EchoAsync(SimulatorStream stream, long chatId, Update update) => update switch
    {
        { Message: { } m } => stream.AppendAsync(chatId, SimulatorEventKinds.UserMessage,
            (SimulatorFields.MessageId, m.Id.ToString(CultureInfo.InvariantCulture)),
            (SimulatorFields.Text, m.Text ?? (m.Contact is { } c ? $"📞 {c.PhoneNumber}" : ""))),
        { CallbackQuery: { } q } => stream.AppendAsync(chatId, SimulatorEventKinds.UserCallback,
            (SimulatorFields.MessageId, q.Message!.Id.ToString(CultureInfo.InvariantCulture)),
            (SimulatorFields.Text, q.Data)),
        _ => Task.CompletedTask,
    };

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated update refused: invalid JSON at line {Line}, byte {Position}")]
    private static partial void LogMalformed(ILogger logger, long line, long position);
}
