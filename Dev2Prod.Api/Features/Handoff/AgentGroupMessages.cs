using System.Text.RegularExpressions;
using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Security;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot.Types.Enums;
using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Handoff;

/// <summary>
/// Messages in the agents' group. A message belongs to a conversation through its forum topic, or (plain
/// group) by replying to the conversation's card or to any bot message tagged <c>#c{id}</c>. The claiming
/// agent's messages there reach the user; other people's are not sent. Commands: <c>/claim</c>,
/// <c>/release</c>, <c>/close</c>, <c>/transfer @agent</c>, <c>/note text</c>, and <c>/addagent</c> (admins,
/// as a reply to the new agent's message).
/// </summary>
public sealed partial class AgentGroupMessages(AgentDesk desk, AgentGroup group, ILogger<AgentGroupMessages> logger) : IGroupMessageHandler
{
    private static readonly string[] ConversationCommands = ["claim", "release", "close", "transfer", "note"];

    public async Task<bool> TryHandleAsync(TurnContext turn, TelegramMessage message)
    {
        if (group.ChatId is not { } groupId || message.Chat.Id != groupId || message.From is not { IsBot: false } from)
        {
            return false;
        }

        var isCommand = UpdateDispatcher.TryParseCommand(message, out var command, out var arguments);
        if (isCommand && command == "addagent")
        {
            await AddAgentAsync(turn, message, arguments);
            return true;
        }

        var conversationId = await LocateConversationAsync(turn, message);
        if (isCommand && ConversationCommands.Contains(command))
        {
            await RunCommandAsync(turn, message, from.Id, command, arguments, conversationId);
            return true;
        }

        if (isCommand || conversationId is not { } id)
        {
            return false; // chat between agents, or a command for another bot
        }

        var agent = await desk.FindByTelegramUserAsync(from.Id, turn.CancellationToken);
        if (agent is null)
        {
            return false;
        }

        var state = await turn.Db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.Status, c.AssignedAgentId }).SingleAsync(turn.CancellationToken);
        if (state.Status != ConversationStatus.Claimed || state.AssignedAgentId != agent.Id)
        {
            // Agents talk among themselves in a topic too: only a message to a conversation nobody has claimed
            // is likely meant for the customer, so only that one gets a hint.
            if (state.Status == ConversationStatus.WaitingForAgent)
            {
                ReplyInPlace(turn, message, "Not sent to the customer: claim the conversation first (✋ Claim on its card or /claim).");
            }

            return true;
        }

        var result = message.Type == MessageType.Text
            ? await desk.ReplyAsync(id, agent.Id, message.Text!, AgentActionOrigin.TelegramGroup, turn.CancellationToken)
            : await desk.RelayMediaAsync(id, agent.Id, MediaOf(message), turn.CancellationToken);
        if (!result.Succeeded)
        {
            ReplyInPlace(turn, message, Html.Escape(result.Message));
        }

        return true;
    }

    private async Task RunCommandAsync(TurnContext turn, TelegramMessage message, long fromId, string command, string arguments, long? conversationId)
    {
        var agent = await desk.FindByTelegramUserAsync(fromId, turn.CancellationToken);
        if (agent is null || !HandoffPolicy.CanHandle(agent.Role))
        {
            ReplyInPlace(turn, message, "Only registered agents can do this. Ask an admin to add you.");
            return;
        }

        if (conversationId is not { } id)
        {
            ReplyInPlace(turn, message, $"Use /{command} inside a conversation's topic, or as a reply to its card.");
            return;
        }

        var cancellationToken = turn.CancellationToken;
        var result = command switch
        {
            "claim" => await desk.ClaimAsync(id, agent.Id, cancellationToken),
            "release" => await desk.ReleaseAsync(id, agent.Id, cancellationToken),
            "close" => await desk.CloseAsync(id, agent.Id, cancellationToken),
            "note" => await desk.AddNoteAsync(id, agent.Id, arguments, AgentActionOrigin.TelegramGroup, cancellationToken),
            _ => await TransferAsync(turn, agent, id, arguments),
        };

        // Successful claims, releases, closes and transfers announce themselves in the topic; notes confirm there too.
        if (!result.Succeeded)
        {
            ReplyInPlace(turn, message, Html.Escape(result.Message));
        }
    }

    private async Task<AgentActionResult> TransferAsync(TurnContext turn, Agent acting, long conversationId, string arguments)
    {
        if (!HandoffPolicy.CanActOnAll(acting.Role))
        {
            return AgentActionResult.Refused("Only a supervisor or an admin can transfer conversations.");
        }

        var handle = arguments.Trim().TrimStart('@');
        if (handle.Length == 0)
        {
            return AgentActionResult.Refused("Say who to transfer to: /transfer @username");
        }

        var lowered = handle.ToLowerInvariant();
        var target = long.TryParse(handle, out var telegramId)
            ? await turn.Db.Agents.FirstOrDefaultAsync(a => a.TelegramUserId == telegramId && a.IsActive, turn.CancellationToken)
            : await turn.Db.Agents.FirstOrDefaultAsync(a => a.TelegramUsername != null && a.TelegramUsername.ToLower() == lowered && a.IsActive, turn.CancellationToken);
        return target is null
            ? AgentActionResult.Refused($"No active agent @{handle}.")
            : await desk.TransferAsync(conversationId, acting.Id, target.Id, turn.CancellationToken);
    }

    /// <summary>
    /// <c>/addagent [Viewer|Agent|Supervisor|Admin] [display name]</c> as a reply to a message of the person:
    /// their Telegram id comes from that message. Admins only (until the dashboard manages agents).
    /// </summary>
    private async Task AddAgentAsync(TurnContext turn, TelegramMessage message, string arguments)
    {
        var admin = await desk.FindByTelegramUserAsync(message.From!.Id, turn.CancellationToken);
        if (admin is null || !HandoffPolicy.CanManageAgents(admin.Role))
        {
            ReplyInPlace(turn, message, "Only an admin can register agents.");
            return;
        }

        if (message.ReplyToMessage?.From is not { IsBot: false } person || message.ReplyToMessage.ForumTopicCreated is not null)
        {
            ReplyInPlace(turn, message, "Reply to a message of the person with /addagent [Agent|Supervisor|Admin|Viewer] [display name].");
            return;
        }

        var words = arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var role = Role.Agent;
        var nameStart = 0;
        if (words.Length > 0 && Enum.TryParse<Role>(words[0], ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(words[0], out _))
        {
            role = parsed;
            nameStart = 1;
        }

        var displayName = words.Length > nameStart ? words[nameStart] : $"{person.FirstName} {person.LastName}".Trim();
        await ConfiguredAgentsSync.UpsertAsync(turn.Db, new ConfiguredAgent
        {
            TelegramUserId = person.Id,
            TelegramUsername = person.Username,
            DisplayName = displayName.Length > 128 ? displayName[..128] : displayName,
            Role = role,
        }, turn.Update.Message?.Date is { } date ? new DateTimeOffset(date, TimeSpan.Zero) : DateTimeOffset.UtcNow, turn.CancellationToken);
        LogAgentAdded(logger, admin.Id, role);
        ReplyInPlace(turn, message, $"✅ {Html.Escape(displayName)} is now registered as {role}.");
    }

    private async Task<long?> LocateConversationAsync(TurnContext turn, TelegramMessage message)
    {
        var conversations = turn.Db.Conversations.AsNoTracking();
        if (message.IsTopicMessage && message.MessageThreadId is { } thread)
        {
            var byTopic = await conversations.Where(c => c.AgentTopicId == thread).OrderByDescending(c => c.Id)
                .Select(c => (long?)c.Id).FirstOrDefaultAsync(turn.CancellationToken);
            if (byTopic is not null)
            {
                return byTopic;
            }
        }

        if (message.ReplyToMessage is { } replied)
        {
            var byCard = await conversations.Where(c => c.AgentCardMessageId == replied.Id).OrderByDescending(c => c.Id)
                .Select(c => (long?)c.Id).FirstOrDefaultAsync(turn.CancellationToken);
            if (byCard is not null)
            {
                return byCard;
            }

            if (TagPattern().Match(replied.Text ?? replied.Caption ?? "") is { Success: true } match && long.TryParse(match.Groups[1].Value, out var tagged)
                && await conversations.AnyAsync(c => c.Id == tagged, turn.CancellationToken))
            {
                return tagged;
            }
        }

        return null;
    }

    private static AgentMedia MediaOf(TelegramMessage message) => message switch
    {
        { Photo: { Length: > 0 } photos } => new AgentMedia(AgentMedia.Photo, photos[^1].FileId, message.Caption, message.Chat.Id, message.Id),
        { Document: { } document } => new AgentMedia(AgentMedia.Document, document.FileId, message.Caption, message.Chat.Id, message.Id),
        _ => new AgentMedia(message.Type.ToString().ToLowerInvariant(), null, message.Caption, message.Chat.Id, message.Id),
    };

    private static void ReplyInPlace(TurnContext turn, TelegramMessage message, string html) =>
        turn.Replies.Text(html, new OutboundPayload
        {
            MessageThreadId = message.IsTopicMessage ? message.MessageThreadId : null,
            ReplyToMessageId = message.Id,
        });

    [GeneratedRegex(@"#c(\d+)\b")]
    private static partial Regex TagPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin agent {AdminId} registered an agent with role {Role}")]
    private static partial void LogAgentAdded(ILogger logger, int adminId, Role role);
}
