using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Telegram.Outbox;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>
/// What a handler says back. Messages go to the outbox inside the update's transaction (sent once, never
/// lost); callback answers and typing indicators are ephemeral, sent right after the commit, best effort.
/// </summary>
public sealed class TurnReplies(OutboxWriter outbox, long chatId, Conversation? conversation, string? callbackQueryId)
{
    private readonly List<Func<ITelegramBotClient, CancellationToken, Task>> _ephemeral = [];
    private bool _callbackAnswered;

    public long ChatId => chatId;

    /// <summary>Sends an HTML text (escape user text with <see cref="Html.Escape"/>) with optional inline buttons.</summary>
    public ConversationMessage? Text(string html, IReadOnlyList<IReadOnlyList<OutboundButton>>? keyboard = null)
        => outbox.SendText(chatId, conversation, html, SenderType.Bot, new OutboundPayload { InlineKeyboard = keyboard });

    /// <summary>Sends a text with full control of the payload (reply keyboards, threads, replies).</summary>
    public ConversationMessage? Text(string html, OutboundPayload payload, SenderType sender = SenderType.Bot)
        => outbox.SendText(chatId, conversation, html, sender, payload);

    /// <summary>Queues an outbox call to another chat (e.g. a card in the agents' group).</summary>
    public void ToChat(long otherChatId, string html, OutboundPayload? payload = null, string? deduplicationKey = null)
        => outbox.SendText(otherChatId, null, html, SenderType.Bot, payload, deduplicationKey);

    public void Enqueue(string method, OutboundPayload payload) => outbox.Enqueue(chatId, conversation, method, payload);

    /// <summary>Answers the update's callback query (stops the button's spinner), optionally with a toast or alert.</summary>
    public void AnswerCallback(string? text = null, bool showAlert = false)
    {
        if (callbackQueryId is null || _callbackAnswered)
        {
            return;
        }

        _callbackAnswered = true;
        _ephemeral.Add((bot, ct) => bot.AnswerCallbackQuery(callbackQueryId, text, showAlert, cancellationToken: ct));
    }

    public void Typing() => _ephemeral.Add((bot, ct) => bot.SendChatAction(chatId, ChatAction.Typing, cancellationToken: ct));

    internal bool CallbackAnswered => _callbackAnswered;

    internal IReadOnlyList<Func<ITelegramBotClient, CancellationToken, Task>> Ephemeral => _ephemeral;
}
