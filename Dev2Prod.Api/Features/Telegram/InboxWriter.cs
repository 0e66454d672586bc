using System.Text.Json;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Observability;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Dev2Prod.Api.Features.Telegram;

public enum RecordOutcome
{
    Recorded,
    /// <summary>The update id was already recorded (a redelivery): nothing changed.</summary>
    Duplicate,
    /// <summary>Not an update we handle (unknown type, no update id): acknowledged and dropped.</summary>
    Ignored,
}

/// <summary>
/// Records an update in the inbox (inbound_updates) before Telegram gets its 2xx. The update id is the key:
/// a redelivered or replayed update (retries, two replicas, polling after a restart) is inserted once.
/// </summary>
public sealed class InboxWriter(BotDbContext db, TimeProvider time)
{
    public async Task<RecordOutcome> RecordAsync(Update update, string payloadJson, CancellationToken cancellationToken)
    {
        if (update.Id <= 0 || update.Type == UpdateType.Unknown)
        {
            return RecordOutcome.Ignored;
        }

        return await InsertAsync(update, payloadJson, cancellationToken);
    }

    /// <summary>
    /// Records a simulated update ("Try the bot"): its id is negative by design (<c>SimulatedChats</c>), which
    /// <see cref="RecordAsync"/> refuses for anything arriving from Telegram.
    /// </summary>
    public Task<RecordOutcome> RecordSimulatedAsync(Update update, string payloadJson, CancellationToken cancellationToken) =>
        InsertAsync(update, payloadJson, cancellationToken);

    private async Task<RecordOutcome> InsertAsync(Update update, string payloadJson, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var kind = update.Type.ToString();
        var chatId = ChatIdOf(update);
        // Handling happens later on a processor loop: the stored traceparent makes it part of this request's trace.
        var traceParent = MessagingTracing.CurrentTraceParent();
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO inbound_updates (update_id, chat_id, kind, payload_json, status, attempts, received_at, next_attempt_at, trace_parent)
            VALUES ({update.Id}, {chatId}, {kind}, {payloadJson}::jsonb, 'Pending', 0, {now}, {now}, {traceParent})
            ON CONFLICT (update_id) DO NOTHING
            """, cancellationToken);
        return inserted == 1 ? RecordOutcome.Recorded : RecordOutcome.Duplicate;
    }

    /// <summary>Serialises an update the way Telegram.Bot reads it (used for updates that arrive by long polling).</summary>
    public static string Serialize(Update update) => JsonSerializer.Serialize(update, JsonBotAPI.Options);

    /// <summary>The chat whose order the update must keep; null for updates that belong to no chat.</summary>
    public static long? ChatIdOf(Update update) => update switch
    {
        { Message: { } m } => m.Chat.Id,
        { EditedMessage: { } m } => m.Chat.Id,
        { ChannelPost: { } m } => m.Chat.Id,
        { EditedChannelPost: { } m } => m.Chat.Id,
        { CallbackQuery: { } q } => q.Message?.Chat.Id ?? q.From.Id,
        { MyChatMember: { } m } => m.Chat.Id,
        { ChatMember: { } m } => m.Chat.Id,
        _ => null,
    };
}
