using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// Pings the agents' group again about escalations nobody claimed in <c>Handoff:ClaimReminderMinutes</c>
/// (supervisors mentioned), then every as long again, and tells the user once that they are not forgotten.
/// Only within business hours: outside them the user already knows when to expect an answer. Due rows are
/// taken with FOR UPDATE SKIP LOCKED and moved on in the same transaction, so several replicas never ping twice.
/// </summary>
public sealed partial class ClaimReminderService(
    IServiceScopeFactory scopeFactory,
    IOptionsMonitor<HandoffOptions> options,
    TimeProvider time,
    ILogger<ClaimReminderService> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RemindDueAsync(stoppingToken) == BatchSize)
                {
                    // A full batch: there may be more due right now.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Database unreachable or a bad row: log, wait for the next pass, never stop the loop.
                LogFailed(logger, e.GetType().Name, e);
            }

            try
            {
                await Task.Delay(PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Sends the reminders that are due now; returns how many.</summary>
    public async Task<int> RemindDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        if (!new BusinessHours(settings.BusinessHours).IsOpen(now))
        {
            return 0;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<BotDbContext>();
        var outbox = services.GetRequiredService<OutboxWriter>();
        var groupId = services.GetRequiredService<AgentGroup>().ChatId;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Conversations.FromSql($"""
            SELECT * FROM conversations
            WHERE status = 'WaitingForAgent' AND claim_reminder_due_at <= {now}
            ORDER BY claim_reminder_due_at
            LIMIT {BatchSize}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var mentions = await SupervisorMentionsAsync(db, cancellationToken);
        var userIds = due.Select(c => c.TelegramUserId).ToList();
        var users = await db.TelegramUsers.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        foreach (var conversation in due)
        {
            conversation.ClaimRemindersSent++;
            conversation.ClaimReminderDueAt = now.AddMinutes(settings.ClaimReminderMinutes);
            var waited = (int)Math.Round((now - (conversation.EscalatedAt ?? now)).TotalMinutes);
            if (groupId is { } group)
            {
                var customer = Html.Escape(HandoffTexts.CustomerName(users.GetValueOrDefault(conversation.TelegramUserId)));
                outbox.Enqueue(group, conversation, OutboundMethods.SendMessage, new OutboundPayload
                {
                    Text = $"⏰ <b>{customer}</b> has been waiting {waited} min and nobody has claimed the conversation yet. " +
                           $"{mentions} {HandoffTexts.Tag(conversation.Id)}".TrimEnd(),
                    InlineKeyboard = [[OutboundButton.Callback("✋ Claim", HandoffTexts.ClaimData(conversation.Id))]],
                    InConversationThread = true,
                });
            }

            if (conversation.ClaimRemindersSent == 1)
            {
                outbox.SendText(conversation.ChatId, conversation, HandoffTexts.NotForgotten, SenderType.Bot);
            }

            LogReminded(logger, conversation.Id, conversation.ClaimRemindersSent);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await services.GetRequiredService<OutboxSignal>().NotifyAsync();
        return due.Count;
    }

    /// <summary>Active supervisors and admins: @username, or a mention link by Telegram id.</summary>
    private static async Task<string> SupervisorMentionsAsync(BotDbContext db, CancellationToken cancellationToken)
    {
        var supervisors = await db.Agents
            .Where(a => a.IsActive && a.TelegramUserId != null && (a.Role == Security.Role.Supervisor || a.Role == Security.Role.Admin))
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        return string.Join(" ", supervisors.Select(a => a.TelegramUsername is { Length: > 0 } username
            ? "@" + Html.Escape(username)
            : $"<a href=\"tg://user?id={a.TelegramUserId}\">{Html.Escape(a.DisplayName)}</a>"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} still unclaimed: reminder {Count} sent")]
    private static partial void LogReminded(ILogger logger, long conversationId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claim reminders failed ({ErrorType}); retrying at the next pass")]
    private static partial void LogFailed(ILogger logger, string errorType, Exception exception);
}
