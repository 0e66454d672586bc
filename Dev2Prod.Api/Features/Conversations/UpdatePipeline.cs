using System.Diagnostics;
using System.Text.Json;
using Dev2Prod.Api.Features.RateLimiting;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Conversations;
using Dev2Prod.Core.Observability;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using Dev2Prod.Core.Telegram.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>
/// Handles one recorded update in one database transaction: the sender is upserted, the conversation found
/// or opened, the inbound message stored, the per-user limit applied, the feature handler run, the session
/// saved and the inbox row marked done. Replies are outbox rows in the same transaction, so a crash anywhere
/// before the commit leaves no trace and the update is simply handled again; after the commit, nothing is
/// handled twice.
/// </summary>
public sealed partial class UpdatePipeline(
    BotDbContext db,
    ConversationDirectory directory,
    SessionStore sessions,
    UpdateDispatcher dispatcher,
    UserRateLimiter rateLimiter,
    OutboxWriter outbox,
    OutboxSignal outboxSignal,
    ConversationEvents conversationEvents,
    IServiceProvider services,
    IOptionsMonitor<TelegramOptions> telegramOptions,
    BotMetrics metrics,
    TimeProvider time,
    ILogger<UpdatePipeline> logger)
{
    public static readonly ActivitySource ActivitySource = new("Dev2Prod.Api.Updates");

    public async Task HandleAsync(InboundUpdate inbound, CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity("telegram.update");
        activity?.SetTag("telegram.update_id", inbound.UpdateId);
        activity?.SetTag("telegram.update_kind", inbound.Kind);

        var update = JsonSerializer.Deserialize<Update>(inbound.PayloadJson, JsonBotAPI.Options)
                     ?? throw new JsonException("empty update");

        // The sender is upserted before the transaction (idempotent, autocommit): inside it, the row lock would be
        // held for the whole update and serialise the same person's updates from other chats behind this one.
        if (SenderOf(update) is { IsBot: false } sender)
        {
            await directory.UpsertUserAsync(sender, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var turn = await BuildTurnAsync(update, inbound.UpdateId, cancellationToken);
        if (turn is not null)
        {
            if (turn.Conversation is not null && turn.Inbound is not null && turn.User is not null
                && !await rateLimiter.AllowAsync(turn, cancellationToken))
            {
                // Over the limit: the message is stored (nothing lost) but not answered.
            }
            else
            {
                await dispatcher.DispatchAsync(turn);
            }

            if (turn.Conversation is not null)
            {
                turn.Session.Version++;
                turn.Conversation.SessionJson = turn.Session.ToJson();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var now = time.GetUtcNow();
        await db.InboundUpdates.Where(u => u.UpdateId == inbound.UpdateId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Status, InboxStatus.Done)
            .SetProperty(u => u.ProcessedAt, now)
            .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (turn is not null)
        {
            await AfterCommitAsync(turn, cancellationToken);
        }
    }

    private async Task<TurnContext?> BuildTurnAsync(Update update, long updateId, CancellationToken cancellationToken)
    {
        switch (update)
        {
            case { Message: { From: { IsBot: false } from, Chat.Type: ChatType.Private } message }:
            {
                var user = await directory.UpsertUserAsync(from, cancellationToken);
                user.IsBlocked = false; // writing to the bot means they can receive again
                var (conversation, started) = await directory.OpenConversationAsync(user, message.Chat.Id, cancellationToken);
                var inbound = new ConversationMessage
                {
                    Conversation = conversation,
                    Direction = MessageDirection.Inbound,
                    SenderType = SenderType.User,
                    Text = DescribeForTranscript(message),
                    TelegramChatId = message.Chat.Id,
                    TelegramMessageId = message.Id,
                    TelegramUpdateId = updateId,
                    CreatedAt = time.GetUtcNow(),
                };
                db.Messages.Add(inbound);
                conversation.LastMessageAt = inbound.CreatedAt;
                var session = started ? new ConversationSession() : await sessions.LoadAsync(conversation);
                session.Turns++;
                metrics.MessageProcessed("user");
                return NewTurn(update, user, conversation, session, inbound, message.Chat.Id, null, cancellationToken);
            }

            case { CallbackQuery: { From: var from } callback } when callback.Message?.Chat.Type is null or ChatType.Private:
            {
                var user = await directory.UpsertUserAsync(from, cancellationToken);
                var chatId = callback.Message?.Chat.Id ?? from.Id;
                var (conversation, started) = await directory.OpenConversationAsync(user, chatId, cancellationToken);
                var session = started ? new ConversationSession() : await sessions.LoadAsync(conversation);
                return NewTurn(update, user, conversation, session, null, chatId, callback.Id, cancellationToken);
            }

            case { CallbackQuery: { From: var from } callback }:
            {
                // A button in a group (the agents' group): no customer conversation of its own.
                var user = await directory.UpsertUserAsync(from, cancellationToken);
                return NewTurn(update, user, null, new ConversationSession(), null, callback.Message!.Chat.Id, callback.Id, cancellationToken);
            }

            case { Message: { Chat.Type: ChatType.Group or ChatType.Supergroup } message }:
            {
                var user = message.From is { IsBot: false } from ? await directory.UpsertUserAsync(from, cancellationToken) : null;
                return NewTurn(update, user, null, new ConversationSession(), null, message.Chat.Id, null, cancellationToken);
            }

            case { EditedMessage: { Chat.Type: ChatType.Private } edited }:
                await RecordEditAsync(edited, cancellationToken);
                return null;

            case { MyChatMember: { Chat.Type: ChatType.Private } member }:
            {
                var user = await directory.UpsertUserAsync(member.From, cancellationToken);
                user.IsBlocked = member.NewChatMember.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Left;
                LogMembership(logger, user.IsBlocked ? "blocked" : "unblocked");
                return null;
            }

            default:
                LogIgnored(logger, update.Type);
                return null;
        }
    }

    private TurnContext NewTurn(Update update, TelegramUser? user, Conversation? conversation, ConversationSession session,
        ConversationMessage? inbound, long chatId, string? callbackQueryId, CancellationToken cancellationToken) => new()
        {
            Update = update,
            Db = db,
            User = user,
            Conversation = conversation,
            Session = session,
            Inbound = inbound,
            Replies = new TurnReplies(outbox, chatId, conversation, callbackQueryId),
            CancellationToken = cancellationToken,
        };

    private async Task RecordEditAsync(TelegramMessage edited, CancellationToken cancellationToken)
    {
        var stored = await db.Messages.FirstOrDefaultAsync(m =>
            m.TelegramChatId == edited.Chat.Id && m.TelegramMessageId == edited.Id && m.Direction == MessageDirection.Inbound, cancellationToken);
        if (stored is not null)
        {
            stored.Text = DescribeForTranscript(edited);
        }
    }

    private async Task AfterCommitAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Conversation is not null)
        {
            await sessions.CacheAsync(turn.Conversation.Id, turn.Conversation.SessionJson);
            await conversationEvents.PublishAsync(turn.Conversation.Id);
        }

        await outboxSignal.NotifyAsync();
        var simulated = SimulatedChats.Contains(turn.Replies.ChatId);
        if (turn.Replies.Ephemeral.Count == 0 || (!simulated && !telegramOptions.CurrentValue.IsEnabled))
        {
            return;
        }

        // A simulated chat ("Try the bot") gets its typing indicator and callback answers in its stream.
        var bot = simulated
            ? new SimulatedTelegramClient(services.GetRequiredService<SimulatorStream>(), turn.Replies.ChatId, services.GetRequiredService<TimeProvider>())
            : services.GetRequiredService<ITelegramBotClient>();
        foreach (var call in turn.Replies.Ephemeral)
        {
            try
            {
                await call(bot, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Best effort by design (a spinner or typing indicator): never fail the handled update for it.
                LogEphemeralFailed(logger, e.GetType().Name);
            }
        }
    }

    private static global::Telegram.Bot.Types.User? SenderOf(Update update) => update switch
    {
        { Message.From: { } from } => from,
        { EditedMessage.From: { } from } => from,
        { CallbackQuery.From: var from } => from,
        { MyChatMember.From: var from } => from,
        _ => null,
    };

    /// <summary>What the transcript shows for a message: its text or caption, or the kind of content.</summary>
    internal static string DescribeForTranscript(TelegramMessage message) =>
        message.Text ?? message.Caption ?? message.Type switch
        {
            MessageType.Photo => "[photo]",
            MessageType.Document => "[document]",
            MessageType.Sticker => "[sticker]",
            MessageType.Voice => "[voice message]",
            MessageType.Video => "[video]",
            MessageType.Contact => "[contact]",
            MessageType.Location => "[location]",
            _ => $"[{message.Type.ToString().ToLowerInvariant()}]",
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "A user {Change} the bot")]
    private static partial void LogMembership(ILogger logger, string change);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Update of type {UpdateType} needs no handling")]
    private static partial void LogIgnored(ILogger logger, UpdateType updateType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ephemeral Telegram call failed ({ErrorType})")]
    private static partial void LogEphemeralFailed(ILogger logger, string errorType);
}
