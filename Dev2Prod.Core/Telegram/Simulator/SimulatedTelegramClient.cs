using System.Globalization;
using Dev2Prod.Core.Telegram.Outbox;
using Telegram.Bot;
using Telegram.Bot.Args;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Requests.Abstractions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Dev2Prod.Core.Telegram.Simulator;

/// <summary>
/// A Bot API client for one simulated chat: the calls the bot makes (send, edit, typing, callback answers) are
/// appended to the chat's <see cref="SimulatorStream"/> with generated message ids instead of going to Telegram.
/// Being a real <see cref="ITelegramBotClient"/>, it lets the sender and the pipeline run their usual code path;
/// it needs no bot token, so "Try the bot" works on a fresh development stack.
/// </summary>
public sealed class SimulatedTelegramClient(SimulatorStream stream, long chatId, TimeProvider time) : ITelegramBotClient
{
    public bool LocalBotServer => false;

    public long BotId => 0;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IExceptionParser ExceptionsParser { get; set; } = new DefaultExceptionParser();

#pragma warning disable CS0067 // Part of the interface; a simulated chat makes no HTTP requests to report.
    public event AsyncEventHandler<ApiRequestEventArgs>? OnMakingApiRequest;

    public event AsyncEventHandler<ApiResponseEventArgs>? OnApiResponseReceived;
#pragma warning restore CS0067

    public async Task<TResponse> SendRequest<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default)
    {
        object response = request switch
        {
            SendMessageRequest r => await DeliverAsync(SimulatorEventKinds.BotMessage, await stream.NextMessageIdAsync(chatId), r.Text, r.ParseMode, r.ReplyMarkup, null),
            EditMessageTextRequest r => await DeliverAsync(SimulatorEventKinds.Edit, r.MessageId, r.Text, r.ParseMode, r.ReplyMarkup, null),
            EditMessageReplyMarkupRequest r => await DeliverAsync(SimulatorEventKinds.EditMarkup, r.MessageId, null, ParseMode.None, r.ReplyMarkup, null),
            SendDocumentRequest r => await DeliverAsync(SimulatorEventKinds.BotMessage, await stream.NextMessageIdAsync(chatId), r.Caption, r.ParseMode, r.ReplyMarkup, "document"),
            SendPhotoRequest r => await DeliverAsync(SimulatorEventKinds.BotMessage, await stream.NextMessageIdAsync(chatId), r.Caption, r.ParseMode, r.ReplyMarkup, "photo"),
            SendChatActionRequest r => await SignalAsync(SimulatorEventKinds.Typing, r.Action.ToString().ToLowerInvariant()),
            AnswerCallbackQueryRequest r => await SignalAsync(SimulatorEventKinds.CallbackAnswer, r.Text),
            _ => throw new ApiRequestException($"Bad Request: {request.MethodName} is not available in a simulated chat", 400),
        };
        return (TResponse)response;
    }

    public Task<bool> TestApi(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task DownloadFile(string filePath, Stream destination, CancellationToken cancellationToken = default) =>
        throw new ApiRequestException("Bad Request: a simulated chat has no files to download", 400);

    public Task DownloadFile(TGFile file, Stream destination, CancellationToken cancellationToken = default) =>
        throw new ApiRequestException("Bad Request: a simulated chat has no files to download", 400);

    private async Task<Message> DeliverAsync(string kind, int messageId, string? text, ParseMode parseMode, ReplyMarkup? markup, string? attachment)
    {
        await stream.AppendAsync(chatId, kind,
            (SimulatorFields.MessageId, messageId.ToString(CultureInfo.InvariantCulture)),
            (SimulatorFields.Text, kind == SimulatorEventKinds.EditMarkup ? null : text ?? ""),
            (SimulatorFields.ParseMode, parseMode == ParseMode.Html ? "HTML" : ""),
            (SimulatorFields.Buttons, markup is InlineKeyboardMarkup or null ? SimulatorStream.ButtonsToJson(ButtonsOf(markup as InlineKeyboardMarkup)) : null),
            (SimulatorFields.ContactButton, ContactButtonOf(markup)),
            (SimulatorFields.Attachment, attachment));
        return new Message
        {
            Id = messageId,
            Date = time.GetUtcNow().UtcDateTime,
            Chat = new Chat { Id = chatId, Type = ChatType.Private },
            Text = text,
        };
    }

    private async Task<bool> SignalAsync(string kind, string? text)
    {
        await stream.AppendAsync(chatId, kind, (SimulatorFields.Text, text ?? ""));
        return true;
    }

    private static List<IReadOnlyList<OutboundButton>>? ButtonsOf(InlineKeyboardMarkup? markup) =>
        markup?.InlineKeyboard
            .Select(row => (IReadOnlyList<OutboundButton>)row.Select(b => new OutboundButton(b.Text, b.CallbackData, b.Url)).ToList())
            .ToList();

    private static string? ContactButtonOf(ReplyMarkup? markup) =>
        markup is ReplyKeyboardMarkup reply
            ? reply.Keyboard.SelectMany(row => row).FirstOrDefault(b => b.RequestContact == true)?.Text
            : null;
}
