using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>Where an agent acted: the group already shows what an agent wrote there; dashboard actions are mirrored into it.</summary>
public enum AgentActionOrigin
{
    Dashboard,
    TelegramGroup,
}

/// <summary>
/// Agent actions on escalated conversations (see <see cref="IAgentDesk"/>). Every state change is a
/// conditional UPDATE on the conversation row (e.g. <c>WHERE status = 'WaitingForAgent'</c> for a claim), so
/// two agents acting at once, in any replica, cannot both win; permissions come from <see cref="HandoffPolicy"/>.
/// Messages to the user and the group go through the outbox in the same transaction.
/// </summary>
public sealed partial class AgentDesk(
    BotDbContext db,
    OutboxWriter outbox,
    OutboxSignal signal,
    AgentGroup group,
    IOptionsMonitor<HandoffOptions> options,
    HandoffMetrics metrics,
    TimeProvider time,
    ILogger<AgentDesk> logger) : IAgentDesk
{
    private const string NotAnAgent = "Only registered agents can do this. Ask an admin to add you.";
    private const string NoSuchConversation = "This conversation no longer exists.";

    public Task<AgentActionResult> ClaimAsync(long conversationId, int agentId, CancellationToken cancellationToken) =>
        Run(() => ClaimCoreAsync(conversationId, agentId, cancellationToken), cancellationToken);

    public Task<AgentActionResult> ReleaseAsync(long conversationId, int agentId, CancellationToken cancellationToken) =>
        Run(() => ReleaseCoreAsync(conversationId, agentId, cancellationToken), cancellationToken);

    public Task<AgentActionResult> CloseAsync(long conversationId, int agentId, CancellationToken cancellationToken) =>
        Run(() => CloseCoreAsync(conversationId, agentId, cancellationToken), cancellationToken);

    public Task<AgentActionResult> ReplyAsync(long conversationId, int agentId, string text, CancellationToken cancellationToken) =>
        ReplyAsync(conversationId, agentId, text, AgentActionOrigin.Dashboard, cancellationToken);

    public Task<AgentActionResult> ReplyAsync(long conversationId, int agentId, string text, AgentActionOrigin origin, CancellationToken cancellationToken) =>
        Run(() => ReplyCoreAsync(conversationId, agentId, text, origin, cancellationToken), cancellationToken);

    public Task<AgentActionResult> AddNoteAsync(long conversationId, int agentId, string text, CancellationToken cancellationToken) =>
        AddNoteAsync(conversationId, agentId, text, AgentActionOrigin.Dashboard, cancellationToken);

    public Task<AgentActionResult> AddNoteAsync(long conversationId, int agentId, string text, AgentActionOrigin origin, CancellationToken cancellationToken) =>
        Run(() => AddNoteCoreAsync(conversationId, agentId, text, origin, cancellationToken), cancellationToken);

    public Task<AgentActionResult> TransferAsync(long conversationId, int actingAgentId, int toAgentId, CancellationToken cancellationToken) =>
        Run(() => TransferCoreAsync(conversationId, actingAgentId, toAgentId, cancellationToken), cancellationToken);

    /// <summary>Relays a photo, document or other file the claiming agent sent in the group (by Telegram file id, nothing stored).</summary>
    public Task<AgentActionResult> RelayMediaAsync(long conversationId, int agentId, AgentMedia media, CancellationToken cancellationToken) =>
        Run(() => RelayMediaCoreAsync(conversationId, agentId, media, cancellationToken), cancellationToken);

    /// <summary>The active agent linked to a Telegram user, or null.</summary>
    public Task<Agent?> FindByTelegramUserAsync(long telegramUserId, CancellationToken cancellationToken) =>
        db.Agents.FirstOrDefaultAsync(a => a.TelegramUserId == telegramUserId && a.IsActive, cancellationToken);

    private Task<AgentActionResult> Run(Func<Task<AgentActionResult>> work, CancellationToken cancellationToken) =>
        HandoffUnitOfWork.RunAsync(db, signal, work, cancellationToken);

    private async Task<AgentActionResult> ClaimCoreAsync(long conversationId, int agentId, CancellationToken cancellationToken)
    {
        if (await ActiveAgentAsync(agentId, cancellationToken) is not { } agent || !HandoffPolicy.CanHandle(agent.Role))
        {
            return AgentActionResult.Refused(NotAnAgent);
        }

        var now = time.GetUtcNow();
        var changed = await db.Conversations
            .Where(c => c.Id == conversationId && c.Status == ConversationStatus.WaitingForAgent)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, ConversationStatus.Claimed)
                .SetProperty(c => c.AssignedAgentId, agent.Id)
                .SetProperty(c => c.ClaimedAt, now)
                .SetProperty(c => c.ClaimReminderDueAt, (DateTimeOffset?)null), cancellationToken);
        if (changed == 0)
        {
            return await WhyNotWaitingAsync(conversationId, agent, cancellationToken);
        }

        var conversation = await ReloadAsync(conversationId, cancellationToken);
        if (conversation.EscalatedAt is { } escalatedAt)
        {
            metrics.Claimed(now - escalatedAt);
        }

        outbox.SendText(conversation.ChatId, conversation,
            $"<b>{Html.Escape(agent.DisplayName)}</b> from our team has joined the chat and will answer you here.", SenderType.Bot);
        await TellGroupAsync(conversation, $"✋ <b>{Html.Escape(agent.DisplayName)}</b> claimed this conversation: their messages here now reach the customer.",
            TopicStatus.Claimed, agent.DisplayName, cancellationToken);
        LogAction(logger, conversationId, "claimed", agent.Id);
        return AgentActionResult.Done("Claimed: your messages in this topic now reach the customer.");
    }

    private async Task<AgentActionResult> ReleaseCoreAsync(long conversationId, int agentId, CancellationToken cancellationToken)
    {
        if (await ActiveAgentAsync(agentId, cancellationToken) is not { } agent || !HandoffPolicy.CanHandle(agent.Role))
        {
            return AgentActionResult.Refused(NotAnAgent);
        }

        var actOnAll = HandoffPolicy.CanActOnAll(agent.Role);
        var reminderDue = time.GetUtcNow().AddMinutes(options.CurrentValue.ClaimReminderMinutes);
        var changed = await db.Conversations
            .Where(c => c.Id == conversationId && c.Status == ConversationStatus.Claimed && (actOnAll || c.AssignedAgentId == agent.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, ConversationStatus.WaitingForAgent)
                .SetProperty(c => c.AssignedAgentId, (int?)null)
                .SetProperty(c => c.ClaimedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.ClaimReminderDueAt, reminderDue)
                .SetProperty(c => c.ClaimRemindersSent, 0), cancellationToken);
        if (changed == 0)
        {
            return await WhyNotOwnAsync(conversationId, agent, "release", cancellationToken);
        }

        var conversation = await ReloadAsync(conversationId, cancellationToken);
        outbox.SendText(conversation.ChatId, conversation,
            "The person who was helping you had to step away; another member of our team will take over here shortly.", SenderType.Bot);
        await TellGroupAsync(conversation, $"↩️ <b>{Html.Escape(agent.DisplayName)}</b> released this conversation: it is waiting for an agent again.",
            TopicStatus.New, null, cancellationToken);
        LogAction(logger, conversationId, "released", agent.Id);
        return AgentActionResult.Done("Released: the conversation is waiting for an agent again.");
    }

    private async Task<AgentActionResult> CloseCoreAsync(long conversationId, int agentId, CancellationToken cancellationToken)
    {
        if (await ActiveAgentAsync(agentId, cancellationToken) is not { } agent || !HandoffPolicy.CanHandle(agent.Role))
        {
            return AgentActionResult.Refused(NotAnAgent);
        }

        // An agent closes their own conversations; a supervisor any open one, claimed or still waiting.
        var actOnAll = HandoffPolicy.CanActOnAll(agent.Role);
        var now = time.GetUtcNow();
        var changed = await db.Conversations
            .Where(c => c.Id == conversationId
                        && ((c.Status == ConversationStatus.Claimed && (actOnAll || c.AssignedAgentId == agent.Id))
                            || (c.Status == ConversationStatus.WaitingForAgent && actOnAll)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, ConversationStatus.Closed)
                .SetProperty(c => c.ClosedAt, now)
                .SetProperty(c => c.ClaimReminderDueAt, (DateTimeOffset?)null), cancellationToken);
        if (changed == 0)
        {
            return await WhyNotOwnAsync(conversationId, agent, "close", cancellationToken);
        }

        var conversation = await ReloadAsync(conversationId, cancellationToken);
        outbox.SendText(conversation.ChatId, conversation,
            "Our team has closed this conversation. Thanks for reaching out! How satisfied are you with the help you got? " +
            "(1 = not at all, 5 = very)", SenderType.Bot, new OutboundPayload { InlineKeyboard = HandoffTexts.CsatButtons(conversation.Id) });
        await TellGroupAsync(conversation, $"✅ Closed by <b>{Html.Escape(agent.DisplayName)}</b>. The customer was asked for a rating.",
            TopicStatus.Closed, null, cancellationToken);
        LogAction(logger, conversationId, "closed", agent.Id);
        return AgentActionResult.Done("Closed; the customer was asked for a rating.");
    }

    private async Task<AgentActionResult> ReplyCoreAsync(long conversationId, int agentId, string text, AgentActionOrigin origin, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return AgentActionResult.Refused("There is nothing to send.");
        }

        var (agent, conversation, refusal) = await OwnClaimedConversationAsync(conversationId, agentId, cancellationToken);
        if (refusal is not null || agent is null || conversation is null)
        {
            return refusal ?? AgentActionResult.Refused(NoSuchConversation);
        }

        outbox.SendText(conversation.ChatId, conversation, Signed(agent, Html.Escape(text.Trim())), SenderType.Agent, agentId: agent.Id);
        RecordFirstResponse(conversation);
        if (origin == AgentActionOrigin.Dashboard)
        {
            Mirror(conversation, $"🧑‍💼 <b>{Html.Escape(agent.DisplayName)}</b> (dashboard) → customer:\n{Html.Escape(text.Trim())}");
        }

        return AgentActionResult.Done("Sent to the customer.");
    }

    private async Task<AgentActionResult> RelayMediaCoreAsync(long conversationId, int agentId, AgentMedia media, CancellationToken cancellationToken)
    {
        var (agent, conversation, refusal) = await OwnClaimedConversationAsync(conversationId, agentId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var caption = Signed(agent!, Html.Escape(media.Caption?.Trim() ?? ""));
        var message = new ConversationMessage
        {
            Conversation = conversation,
            Direction = MessageDirection.Outbound,
            SenderType = SenderType.Agent,
            AgentId = agent!.Id,
            Text = $"[{media.Kind}] {media.Caption}".TrimEnd(),
            TelegramChatId = conversation!.ChatId,
            CreatedAt = time.GetUtcNow(),
        };
        db.Messages.Add(message);
        conversation.LastMessageAt = message.CreatedAt;
        var (method, payload) = media.Kind switch
        {
            AgentMedia.Photo when media.FileId is not null => (OutboundMethods.SendPhoto, new OutboundPayload { FileId = media.FileId, Text = caption }),
            AgentMedia.Document when media.FileId is not null => (OutboundMethods.SendDocument, new OutboundPayload { FileId = media.FileId, Text = caption }),
            _ => (OutboundMethods.CopyMessage, new OutboundPayload { FromChatId = media.FromChatId, SourceMessageId = media.MessageId, ParseMode = null }),
        };
        outbox.Enqueue(conversation.ChatId, conversation, method, payload, message);
        RecordFirstResponse(conversation);
        return AgentActionResult.Done("Sent to the customer.");
    }

    private async Task<AgentActionResult> AddNoteCoreAsync(long conversationId, int agentId, string text, AgentActionOrigin origin, CancellationToken cancellationToken)
    {
        if (await ActiveAgentAsync(agentId, cancellationToken) is not { } agent || !HandoffPolicy.CanHandle(agent.Role))
        {
            return AgentActionResult.Refused(NotAnAgent);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return AgentActionResult.Refused("Write the note after the command: /note the customer prefers email.");
        }

        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null)
        {
            return AgentActionResult.Refused(NoSuchConversation);
        }

        var now = time.GetUtcNow();
        db.Messages.Add(new ConversationMessage
        {
            Conversation = conversation,
            Direction = MessageDirection.Outbound,
            SenderType = SenderType.Agent,
            AgentId = agent.Id,
            IsInternalNote = true,
            Text = text.Trim(),
            TelegramChatId = group.ChatId ?? 0,
            CreatedAt = now,
        });
        Mirror(conversation, origin == AgentActionOrigin.Dashboard
            ? $"📝 Note by <b>{Html.Escape(agent.DisplayName)}</b> (dashboard, not sent to the customer):\n{Html.Escape(text.Trim())}"
            : "📝 Internal note saved (not sent to the customer).");
        return AgentActionResult.Done("Note saved; it is never sent to the customer.");
    }

    private async Task<AgentActionResult> TransferCoreAsync(long conversationId, int actingAgentId, int toAgentId, CancellationToken cancellationToken)
    {
        if (await ActiveAgentAsync(actingAgentId, cancellationToken) is not { } acting || !HandoffPolicy.CanHandle(acting.Role))
        {
            return AgentActionResult.Refused(NotAnAgent);
        }

        if (!HandoffPolicy.CanActOnAll(acting.Role))
        {
            return AgentActionResult.Refused("Only a supervisor or an admin can transfer conversations.");
        }

        if (await ActiveAgentAsync(toAgentId, cancellationToken) is not { } target || !HandoffPolicy.CanHandle(target.Role))
        {
            return AgentActionResult.Refused("That person is not an active agent.");
        }

        var now = time.GetUtcNow();
        var before = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(c => new { c.Status, c.AssignedAgentId, c.EscalatedAt }).SingleOrDefaultAsync(cancellationToken);
        if (before is null)
        {
            return AgentActionResult.Refused(NoSuchConversation);
        }

        if (before.Status == ConversationStatus.Claimed && before.AssignedAgentId == target.Id)
        {
            return AgentActionResult.Refused($"{target.DisplayName} already has this conversation.");
        }

        var changed = await db.Conversations
            .Where(c => c.Id == conversationId && c.Status == before.Status && c.AssignedAgentId == before.AssignedAgentId
                        && (c.Status == ConversationStatus.WaitingForAgent || c.Status == ConversationStatus.Claimed))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, ConversationStatus.Claimed)
                .SetProperty(c => c.AssignedAgentId, target.Id)
                .SetProperty(c => c.ClaimedAt, now)
                .SetProperty(c => c.ClaimReminderDueAt, (DateTimeOffset?)null), cancellationToken);
        if (changed == 0)
        {
            return AgentActionResult.Refused("This conversation is not open with the agents (or it just changed); nothing was transferred.");
        }

        if (before.Status == ConversationStatus.WaitingForAgent && before.EscalatedAt is { } escalatedAt)
        {
            metrics.Claimed(now - escalatedAt);
        }

        var conversation = await ReloadAsync(conversationId, cancellationToken);
        outbox.SendText(conversation.ChatId, conversation,
            $"<b>{Html.Escape(target.DisplayName)}</b> from our team is taking over this chat and will answer you here.", SenderType.Bot);
        await TellGroupAsync(conversation,
            $"🔀 <b>{Html.Escape(acting.DisplayName)}</b> transferred this conversation to <b>{Html.Escape(target.DisplayName)}</b>.",
            TopicStatus.Claimed, target.DisplayName, cancellationToken);
        LogAction(logger, conversationId, "transferred", acting.Id);
        return AgentActionResult.Done($"Transferred to {target.DisplayName}.");
    }

    private async Task<(Agent? Agent, Conversation? Conversation, AgentActionResult? Refusal)> OwnClaimedConversationAsync(
        long conversationId, int agentId, CancellationToken cancellationToken)
    {
        if (await ActiveAgentAsync(agentId, cancellationToken) is not { } agent || !HandoffPolicy.CanHandle(agent.Role))
        {
            return (null, null, AgentActionResult.Refused(NotAnAgent));
        }

        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null)
        {
            return (agent, null, AgentActionResult.Refused(NoSuchConversation));
        }

        if (conversation.Status != ConversationStatus.Claimed || conversation.AssignedAgentId != agent.Id)
        {
            return (agent, conversation, AgentActionResult.Refused(conversation.Status == ConversationStatus.Claimed
                ? "Not sent: another agent has this conversation. Only the agent who claimed it can write to the customer."
                : "Not sent: claim the conversation first (✋ Claim on its card)."));
        }

        return (agent, conversation, null);
    }

    private void RecordFirstResponse(Conversation conversation)
    {
        if (conversation.FirstAgentReplyAt is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        conversation.FirstAgentReplyAt = now;
        if (conversation.EscalatedAt is { } escalatedAt)
        {
            metrics.FirstAgentResponse(now - escalatedAt);
        }
    }

    private static string Signed(Agent agent, string html) =>
        html.Length == 0 ? $"<b>{Html.Escape(agent.DisplayName)}</b>" : $"<b>{Html.Escape(agent.DisplayName)}</b>: {html}";

    private void Mirror(Conversation conversation, string html)
    {
        if (group.ChatId is { } groupId)
        {
            outbox.Enqueue(groupId, conversation, OutboundMethods.SendMessage, new OutboundPayload { Text = html, InConversationThread = true });
        }
    }

    private async Task TellGroupAsync(Conversation conversation, string html, TopicStatus status, string? agentName, CancellationToken cancellationToken)
    {
        if (group.ChatId is not { } groupId)
        {
            return;
        }

        outbox.Enqueue(groupId, conversation, OutboundMethods.SendMessage,
            new OutboundPayload { Text = $"{html} {HandoffTexts.Tag(conversation.Id)}", InConversationThread = true });
        if (conversation.AgentTopicId is not null || await group.IsForumAsync(cancellationToken))
        {
            var user = await db.TelegramUsers.FindAsync([conversation.TelegramUserId], cancellationToken);
            outbox.Enqueue(groupId, conversation, OutboundMethods.EditForumTopic,
                new OutboundPayload { Text = HandoffTexts.TopicName(status, user, agentName), InConversationThread = true });
        }
    }

    private Task<Agent?> ActiveAgentAsync(int agentId, CancellationToken cancellationToken) =>
        db.Agents.FirstOrDefaultAsync(a => a.Id == agentId && a.IsActive, cancellationToken);

    /// <summary>After a conditional update: the row as it is now, also in a tracked copy the caller may hold.</summary>
    private async Task<Conversation> ReloadAsync(long conversationId, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.SingleAsync(c => c.Id == conversationId, cancellationToken);
        await db.Entry(conversation).ReloadAsync(cancellationToken);
        return conversation;
    }

    private async Task<AgentActionResult> WhyNotWaitingAsync(long conversationId, Agent agent, CancellationToken cancellationToken)
    {
        var now = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(c => new { c.Status, c.AssignedAgentId, AgentName = c.AssignedAgent!.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        return now switch
        {
            null => AgentActionResult.Refused(NoSuchConversation),
            { Status: ConversationStatus.Claimed } when now.AssignedAgentId == agent.Id => AgentActionResult.Refused("You have already claimed this conversation."),
            { Status: ConversationStatus.Claimed } => AgentActionResult.Refused($"Already claimed by {now.AgentName}."),
            { Status: ConversationStatus.Closed } => AgentActionResult.Refused("This conversation is closed."),
            _ => AgentActionResult.Refused("This conversation is no longer waiting for an agent."),
        };
    }

    private async Task<AgentActionResult> WhyNotOwnAsync(long conversationId, Agent agent, string action, CancellationToken cancellationToken)
    {
        var now = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(c => new { c.Status, c.AssignedAgentId, AgentName = c.AssignedAgent!.DisplayName }).SingleOrDefaultAsync(cancellationToken);
        return now switch
        {
            null => AgentActionResult.Refused(NoSuchConversation),
            { Status: ConversationStatus.Closed } => AgentActionResult.Refused("This conversation is already closed."),
            { Status: ConversationStatus.Bot } => AgentActionResult.Refused("This conversation is back with the bot."),
            { Status: ConversationStatus.WaitingForAgent } when action == "release" => AgentActionResult.Refused("Nobody has claimed this conversation."),
            { Status: ConversationStatus.WaitingForAgent } => AgentActionResult.Refused("Claim this conversation first."),
            _ when now.AssignedAgentId != agent.Id => AgentActionResult.Refused($"{now.AgentName} has this conversation; only they or a supervisor can {action} it."),
            _ => AgentActionResult.Refused($"Could not {action} this conversation."),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} {Action} by agent {AgentId}")]
    private static partial void LogAction(ILogger logger, long conversationId, string action, int agentId);
}

/// <summary>A non-text message an agent sent in the group: relayed to the user by file id (photo, document) or copied (anything else).</summary>
public sealed record AgentMedia(string Kind, string? FileId, string? Caption, long FromChatId, int MessageId)
{
    public const string Photo = "photo";
    public const string Document = "document";
}
