using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Api.Features.Handoff;

/// <summary>
/// The handoff's buttons. In the private chat: <c>handoff:request[:reason]</c> (reason one of
/// <see cref="EscalationReasons.All"/>, default user_request) and the rating <c>handoff:csat:{id}:{1-5}</c>.
/// On cards in the agents' group: <c>handoff:claim|release|close:{id}</c>, answered with an alert when refused.
/// </summary>
public sealed partial class HandoffCallbacks(
    ConversationEscalator escalator,
    AgentDesk desk,
    AgentGroup group,
    HandoffMetrics metrics,
    ILogger<HandoffCallbacks> logger) : ICallbackHandler
{
    public string Prefix => HandoffTexts.CallbackPrefix;

    public async Task HandleAsync(TurnContext turn, string payload)
    {
        var parts = payload.Split(':');
        switch (parts)
        {
            case ["request", ..]:
                await RequestAsync(turn, parts.Length > 1 ? parts[1] : null);
                break;
            case ["csat", var id, var value] when long.TryParse(id, out var conversationId) && int.TryParse(value, out var rating):
                await RateAsync(turn, conversationId, rating);
                break;
            case [var action, var id] when action is "claim" or "release" or "close" && long.TryParse(id, out var conversationId):
                await AgentActionAsync(turn, action, conversationId);
                break;
            default:
                LogUnknown(logger, parts[0]);
                turn.Replies.AnswerCallback("This button is no longer available.");
                break;
        }
    }

    private async Task RequestAsync(TurnContext turn, string? reason)
    {
        if (turn.Conversation is null)
        {
            turn.Replies.AnswerCallback("Please message me privately to talk to a person.");
            return;
        }

        if (reason is null || !EscalationReasons.All.Contains(reason))
        {
            if (reason is not null)
            {
                LogUnknownReason(logger, reason);
            }

            reason = EscalationReasons.UserRequest;
        }

        turn.Replies.AnswerCallback();
        await escalator.EscalateAsync(turn.Conversation, reason, turn.CancellationToken);
    }

    private async Task AgentActionAsync(TurnContext turn, string action, long conversationId)
    {
        if (turn.Update.CallbackQuery?.Message?.Chat.Id is not { } chatId || chatId != group.ChatId)
        {
            turn.Replies.AnswerCallback("This button only works in the agents' group.", showAlert: true);
            return;
        }

        var agent = turn.User is null ? null : await desk.FindByTelegramUserAsync(turn.User.Id, turn.CancellationToken);
        if (agent is null || !HandoffPolicy.CanHandle(agent.Role))
        {
            turn.Replies.AnswerCallback("Only registered agents can do this. Ask an admin to add you.", showAlert: true);
            return;
        }

        var result = action switch
        {
            "claim" => await desk.ClaimAsync(conversationId, agent.Id, turn.CancellationToken),
            "release" => await desk.ReleaseAsync(conversationId, agent.Id, turn.CancellationToken),
            _ => await desk.CloseAsync(conversationId, agent.Id, turn.CancellationToken),
        };
        turn.Replies.AnswerCallback(result.Message, showAlert: !result.Succeeded);
    }

    /// <summary>
    /// One rating per closed conversation, by its own customer: a conditional update, so a double tap or a
    /// later press counts once.
    /// </summary>
    private async Task RateAsync(TurnContext turn, long conversationId, int rating)
    {
        if (rating is < 1 or > 5 || turn.User is null)
        {
            turn.Replies.AnswerCallback("This button is no longer available.");
            return;
        }

        var userId = turn.User.Id;
        var stored = await turn.Db.Conversations
            .Where(c => c.Id == conversationId && c.TelegramUserId == userId && c.Status == ConversationStatus.Closed && c.CsatRating == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CsatRating, rating), turn.CancellationToken);
        if (stored == 0)
        {
            turn.Replies.AnswerCallback("You've already rated this conversation. Thank you!");
            return;
        }

        metrics.CsatRated(rating);
        turn.Replies.AnswerCallback("Thank you for your feedback!");
        if (turn.Update.CallbackQuery?.Message is { } ratingMessage)
        {
            turn.Replies.Enqueue(OutboundMethods.EditMessageText, new OutboundPayload
            {
                TargetMessageId = ratingMessage.Id,
                Text = $"Thank you for rating our help {rating}/5! If anything else comes up, just write here.",
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff button with unknown action {Action} ignored")]
    private static partial void LogUnknown(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handoff request with unknown reason {Reason}; escalated as user_request")]
    private static partial void LogUnknownReason(ILogger logger, string reason);
}
