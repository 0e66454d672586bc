using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Observability;

namespace Dev2Prod.Core.Telegram.Outbox;

/// <summary>
/// Queues calls to Telegram in the caller's DbContext: the conversation message and its outbox row are saved
/// by the caller's SaveChanges, in the caller's transaction, so a reply exists exactly when the state change
/// that caused it does. Call <see cref="OutboxSignal.NotifyAsync"/> after committing so the sender picks the
/// work up at once instead of at its next poll.
/// </summary>
public sealed class OutboxWriter(BotDbContext db, TimeProvider time)
{
    /// <summary>Queues a text message and records it in the conversation (when there is one).</summary>
    public ConversationMessage? SendText(long chatId, Conversation? conversation, string text, SenderType sender,
        OutboundPayload? options = null, string? deduplicationKey = null, int? agentId = null)
    {
        var now = time.GetUtcNow();
        ConversationMessage? message = null;
        if (conversation is not null)
        {
            message = new ConversationMessage
            {
                Conversation = conversation,
                Direction = MessageDirection.Outbound,
                SenderType = sender,
                Text = text,
                TelegramChatId = chatId,
                AgentId = agentId,
                CreatedAt = now,
            };
            db.Messages.Add(message);
            conversation.LastMessageAt = now;
        }

        Enqueue(chatId, conversation, OutboundMethods.SendMessage, (options ?? new OutboundPayload()) with { Text = text }, message, deduplicationKey);
        return message;
    }

    /// <summary>Queues any outbox call (edits, file relays, group cards).</summary>
    public OutboundMessage Enqueue(long chatId, Conversation? conversation, string method, OutboundPayload payload,
        ConversationMessage? message = null, string? deduplicationKey = null)
    {
        var now = time.GetUtcNow();
        var row = new OutboundMessage
        {
            ChatId = chatId,
            Conversation = conversation,
            Message = message,
            Method = method,
            PayloadJson = payload.ToJson(),
            DeduplicationKey = deduplicationKey,
            Status = OutboxStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            // The sender (another process, later) continues the trace of the work that queued this call.
            TraceParent = MessagingTracing.CurrentTraceParent(),
        };
        db.OutboundMessages.Add(row);
        return row;
    }
}
