using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// The one way a conversation reaches the agents' group (see <see cref="IConversationEscalator"/>): status,
/// reason and time are set with a conditional update (two triggers at once, e.g. the Api and the Worker,
/// escalate once), the user is told what happens next (an away message outside business hours), and the
/// group gets a topic with the card (forum) or the card alone (plain group), all through the outbox.
/// </summary>
public sealed partial class ConversationEscalator(
    BotDbContext db,
    OutboxWriter outbox,
    OutboxSignal signal,
    AgentGroup group,
    IOptionsMonitor<HandoffOptions> options,
    HandoffMetrics metrics,
    TimeProvider time,
    ILogger<ConversationEscalator> logger) : IConversationEscalator
{
    public async Task<EscalationResult> EscalateAsync(long conversationId, string reason, CancellationToken cancellationToken)
    {
        var conversation = db.Conversations.Local.FirstOrDefault(c => c.Id == conversationId)
                           ?? await db.Conversations.SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        return conversation is null
            ? EscalationResult.ConversationNotFound
            : await EscalateAsync(conversation, reason, cancellationToken);
    }

    /// <summary>Escalates a conversation the caller already holds (the Api's turn; it may not be saved yet).</summary>
    public Task<EscalationResult> EscalateAsync(Conversation conversation, string reason, CancellationToken cancellationToken)
    {
        if (!EscalationReasons.All.Contains(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not one of EscalationReasons.All.");
        }

        return HandoffUnitOfWork.RunAsync(db, signal, () => EscalateCoreAsync(conversation, reason, cancellationToken), cancellationToken);
    }

    private async Task<EscalationResult> EscalateCoreAsync(Conversation conversation, string reason, CancellationToken cancellationToken)
    {
        switch (conversation.Status)
        {
            case ConversationStatus.WaitingForAgent:
                outbox.SendText(conversation.ChatId, conversation, HandoffTexts.AlreadyWaiting, SenderType.Bot);
                return EscalationResult.AlreadyWithAgent;
            case ConversationStatus.Claimed:
                outbox.SendText(conversation.ChatId, conversation, HandoffTexts.AlreadyWithAgent, SenderType.Bot);
                return EscalationResult.AlreadyWithAgent;
            case ConversationStatus.Closed:
                return EscalationResult.ConversationNotFound;
        }

        // The transcript for the card includes this turn's message, and the conditional update needs the row.
        await db.SaveChangesAsync(cancellationToken);

        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        var reminderDue = now.AddMinutes(settings.ClaimReminderMinutes);
        var changed = await db.Conversations
            .Where(c => c.Id == conversation.Id && c.Status == ConversationStatus.Bot)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, ConversationStatus.WaitingForAgent)
                .SetProperty(c => c.EscalationReason, reason)
                .SetProperty(c => c.EscalatedAt, now)
                .SetProperty(c => c.AssignedAgentId, (int?)null)
                .SetProperty(c => c.ClaimedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.FirstAgentReplyAt, (DateTimeOffset?)null)
                .SetProperty(c => c.ClaimReminderDueAt, reminderDue)
                .SetProperty(c => c.ClaimRemindersSent, 0), cancellationToken);
        if (changed == 0)
        {
            // Escalated (or closed) by someone else since this conversation was read.
            LogAlreadyEscalated(logger, conversation.Id);
            return EscalationResult.AlreadyWithAgent;
        }

        // Keep the tracked copy in step, so the caller's SaveChanges writes the same values.
        conversation.Status = ConversationStatus.WaitingForAgent;
        conversation.EscalationReason = reason;
        conversation.EscalatedAt = now;
        conversation.AssignedAgentId = null;
        conversation.ClaimedAt = null;
        conversation.FirstAgentReplyAt = null;
        conversation.ClaimReminderDueAt = reminderDue;
        conversation.ClaimRemindersSent = 0;
        metrics.Escalated(reason);

        var hours = new BusinessHours(settings.BusinessHours);
        string? awayNote = null;
        if (hours.IsOpen(now))
        {
            outbox.SendText(conversation.ChatId, conversation, HandoffTexts.Connecting(settings.UsualWaitMinutes), SenderType.Bot);
        }
        else
        {
            var opening = hours.NextOpening(now) is { } next ? hours.DescribeOpening(next) : null;
            outbox.SendText(conversation.ChatId, conversation, HandoffTexts.Away(hours.Describe(), opening), SenderType.Bot);
            awayNote = $"Outside business hours: the customer was told we answer {(opening is null ? "when we are back" : "from " + opening)}.";
        }

        await PostCardAsync(conversation, reason, awayNote, cancellationToken);
        LogEscalated(logger, conversation.Id, reason);
        return EscalationResult.Escalated;
    }

    private async Task PostCardAsync(Conversation conversation, string reason, string? awayNote, CancellationToken cancellationToken)
    {
        if (group.ChatId is not { } groupId)
        {
            LogNoAgentGroup(logger, conversation.Id);
            return;
        }

        var user = conversation.TelegramUser ?? await db.TelegramUsers.FindAsync([conversation.TelegramUserId], cancellationToken);
        var lead = await db.Leads.Where(l => l.ConversationId == conversation.Id).OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
        var lastMessages = await db.Messages
            .Where(m => m.ConversationId == conversation.Id && !m.IsInternalNote)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(HandoffTexts.TranscriptLength)
            .ToListAsync(cancellationToken);
        lastMessages.Reverse();

        if (await group.IsForumAsync(cancellationToken))
        {
            var topicName = HandoffTexts.TopicName(TopicStatus.New, user);
            if (conversation.AgentTopicId is { } topicId)
            {
                // Escalated again (after /bot): the conversation keeps its topic, renamed back to new.
                outbox.Enqueue(groupId, conversation, OutboundMethods.EditForumTopic, new OutboundPayload { Text = topicName, MessageThreadId = topicId });
            }
            else
            {
                outbox.Enqueue(groupId, conversation, OutboundMethods.CreateForumTopic, new OutboundPayload { Text = topicName });
            }
        }

        outbox.Enqueue(groupId, conversation, OutboundMethods.SendMessage, new OutboundPayload
        {
            Text = HandoffTexts.Card(conversation, user, reason, lead, lastMessages, awayNote),
            InlineKeyboard = HandoffTexts.CardButtons(conversation.Id),
            InConversationThread = true,
            IsAgentCard = true,
        });
    }

    /// <summary>
    /// <c>/bot</c>: the user hands the conversation back to the assistant. The agent (if any) is let go and the
    /// group told; the topic is renamed. False when no person had it.
    /// </summary>
    public Task<bool> HandBackToBotAsync(Conversation conversation, CancellationToken cancellationToken) =>
        HandoffUnitOfWork.RunAsync(db, signal, async () =>
        {
            if (conversation.Status is not (ConversationStatus.WaitingForAgent or ConversationStatus.Claimed))
            {
                return false;
            }

            var changed = await db.Conversations
                .Where(c => c.Id == conversation.Id && (c.Status == ConversationStatus.WaitingForAgent || c.Status == ConversationStatus.Claimed))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, ConversationStatus.Bot)
                    .SetProperty(c => c.AssignedAgentId, (int?)null)
                    .SetProperty(c => c.ClaimReminderDueAt, (DateTimeOffset?)null), cancellationToken);
            if (changed == 0)
            {
                return false;
            }

            conversation.Status = ConversationStatus.Bot;
            conversation.AssignedAgentId = null;
            conversation.ClaimReminderDueAt = null;
            if (group.ChatId is { } groupId)
            {
                var user = conversation.TelegramUser ?? await db.TelegramUsers.FindAsync([conversation.TelegramUserId], cancellationToken);
                outbox.Enqueue(groupId, conversation, OutboundMethods.SendMessage, new OutboundPayload
                {
                    Text = $"🤖 The customer went back to the bot (/bot). {HandoffTexts.Tag(conversation.Id)}",
                    InConversationThread = true,
                });
                if (conversation.AgentTopicId is not null || await group.IsForumAsync(cancellationToken))
                {
                    outbox.Enqueue(groupId, conversation, OutboundMethods.EditForumTopic,
                        new OutboundPayload { Text = HandoffTexts.TopicName(TopicStatus.BackToBot, user), InConversationThread = true });
                }
            }

            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} escalated ({Reason})")]
    private static partial void LogEscalated(ILogger logger, long conversationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} was already with the agents; not escalated again")]
    private static partial void LogAlreadyEscalated(ILogger logger, long conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} escalated but no agents' group is configured (Telegram:AgentGroupChatId); no card was posted")]
    private static partial void LogNoAgentGroup(ILogger logger, long conversationId);
}
