using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Observability;
using Dev2Prod.Core.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelegramUserDto = Telegram.Bot.Types.User;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>Users and conversations as updates arrive: upsert the sender, find or open the chat's conversation.</summary>
public sealed class ConversationDirectory(BotDbContext db, TimeProvider time, IOptionsMonitor<TelegramOptions> options, BotMetrics metrics)
{
    /// <summary>
    /// Creates or refreshes the user from Telegram's data (names and username change over time). An atomic
    /// upsert: the same person's updates from different chats (private chat, agents' group) may be handled
    /// at the same moment by different processors.
    /// </summary>
    public async Task<TelegramUser> UpsertUserAsync(TelegramUserDto from, CancellationToken cancellationToken)
    {
        var tracked = db.TelegramUsers.Local.FirstOrDefault(u => u.Id == from.Id);
        if (tracked is not null)
        {
            return tracked;
        }

        var now = time.GetUtcNow();
        var username = Truncate(from.Username, 64);
        var firstName = Truncate(from.FirstName, 256) ?? "";
        var lastName = Truncate(from.LastName, 256);
        var language = Truncate(from.LanguageCode, 16);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO telegram_users (id, username, first_name, last_name, language_code, is_blocked, created_at, last_seen_at)
            VALUES ({from.Id}, {username}, {firstName}, {lastName}, {language}, false, {now}, {now})
            ON CONFLICT (id) DO UPDATE SET username = excluded.username, first_name = excluded.first_name,
                last_name = excluded.last_name, language_code = excluded.language_code, last_seen_at = excluded.last_seen_at
            """, cancellationToken);
        return await db.TelegramUsers.SingleAsync(u => u.Id == from.Id, cancellationToken);
    }

    /// <summary>
    /// The chat's open conversation; a new one when there is none, or when the open one has been quiet longer
    /// than <c>Telegram:ConversationInactivityTimeout</c> (it is closed then, unless a human still owns it).
    /// </summary>
    public async Task<(Conversation Conversation, bool Started)> OpenConversationAsync(TelegramUser user, long chatId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = await db.Conversations.SingleOrDefaultAsync(c => c.ChatId == chatId && c.Status != ConversationStatus.Closed, cancellationToken);
        if (open is not null)
        {
            var idle = now - open.LastMessageAt;
            var withHuman = open.Status is ConversationStatus.WaitingForAgent or ConversationStatus.Claimed;
            if (withHuman || idle < options.CurrentValue.ConversationInactivityTimeout)
            {
                return (open, false);
            }

            open.Status = ConversationStatus.Closed;
            open.ClosedAt = now;

            // The partial unique index allows one open conversation per chat: close before opening the next.
            await db.SaveChangesAsync(cancellationToken);
        }

        var conversation = new Conversation
        {
            TelegramUser = user,
            TelegramUserId = user.Id,
            ChatId = chatId,
            Status = ConversationStatus.Bot,
            StartedAt = now,
            LastMessageAt = now,
        };
        db.Conversations.Add(conversation);
        metrics.ConversationStarted();
        return (conversation, true);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
