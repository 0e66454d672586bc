using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>
/// Routes an update to the feature handler that owns it. The switch is about update shapes only; features
/// plug in through the handler interfaces, so adding one never touches this file.
/// </summary>
public sealed partial class UpdateDispatcher(
    IEnumerable<ICommandHandler> commandHandlers,
    IEnumerable<ICallbackHandler> callbackHandlers,
    IEnumerable<ITextHandler> textHandlers,
    IEnumerable<IMediaHandler> mediaHandlers,
    IEnumerable<IGroupMessageHandler> groupHandlers,
    ILogger<UpdateDispatcher> logger)
{
    public Task DispatchAsync(TurnContext turn) => turn.Update switch
    {
        { Message: { Chat.Type: ChatType.Private } message } => OnPrivateMessageAsync(turn, message),
        { Message: { Chat.Type: ChatType.Group or ChatType.Supergroup } message } => OnGroupMessageAsync(turn, message),
        { CallbackQuery: { } callback } => OnCallbackQueryAsync(turn, callback),
        _ => OnUnhandledAsync(turn.Update),
    };

    private async Task OnPrivateMessageAsync(TurnContext turn, TelegramMessage message)
    {
        if (message.Text is { } text)
        {
            if (TryParseCommand(message, out var command, out var arguments))
            {
                var handler = commandHandlers.FirstOrDefault(h => h.Commands.Contains(command));
                if (handler is not null)
                {
                    await handler.HandleAsync(turn, command, arguments);
                    return;
                }
            }

            foreach (var textHandler in textHandlers.OrderBy(h => h.Order))
            {
                if (await textHandler.TryHandleAsync(turn, text))
                {
                    return;
                }
            }

            return;
        }

        foreach (var mediaHandler in mediaHandlers.OrderBy(h => h.Order))
        {
            if (await mediaHandler.TryHandleAsync(turn, message))
            {
                return;
            }
        }
    }

    private async Task OnGroupMessageAsync(TurnContext turn, TelegramMessage message)
    {
        foreach (var handler in groupHandlers)
        {
            if (await handler.TryHandleAsync(turn, message))
            {
                return;
            }
        }
    }

    private async Task OnCallbackQueryAsync(TurnContext turn, CallbackQuery callback)
    {
        var data = callback.Data ?? "";
        var separator = data.IndexOf(':', StringComparison.Ordinal);
        var prefix = separator < 0 ? data : data[..separator];
        var payload = separator < 0 ? "" : data[(separator + 1)..];
        var handler = callbackHandlers.FirstOrDefault(h => string.Equals(h.Prefix, prefix, StringComparison.Ordinal));
        if (handler is null)
        {
            LogUnknownCallback(logger, prefix);
            turn.Replies.AnswerCallback("This button is no longer available.");
            return;
        }

        await handler.HandleAsync(turn, payload);

        // Telegram shows a spinner until the query is answered: answer it even if the handler did not.
        turn.Replies.AnswerCallback();
    }

    private Task OnUnhandledAsync(Update update)
    {
        LogUnhandled(logger, update.Type);
        return Task.CompletedTask;
    }

    /// <summary>"/start", "/start@MyBot ref_42" -> ("start", "ref_42"). Only a command at the start of the text counts.</summary>
    internal static bool TryParseCommand(TelegramMessage message, out string command, out string arguments)
    {
        command = arguments = "";
        var text = message.Text ?? "";
        if (!text.StartsWith('/') || text.Length < 2)
        {
            return false;
        }

        var end = text.IndexOfAny([' ', '\n', '\t']);
        var token = end < 0 ? text[1..] : text[1..end];
        var at = token.IndexOf('@', StringComparison.Ordinal);
        command = (at < 0 ? token : token[..at]).ToLowerInvariant();
        arguments = end < 0 ? "" : text[(end + 1)..].Trim();
        return command.Length > 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback with unknown prefix {Prefix} answered and ignored")]
    private static partial void LogUnknownCallback(ILogger logger, string prefix);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Update of type {UpdateType} ignored")]
    private static partial void LogUnhandled(ILogger logger, UpdateType updateType);
}
