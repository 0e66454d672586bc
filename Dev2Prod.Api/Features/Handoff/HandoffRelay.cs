using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Handoff;

/// <summary>
/// While a person has the conversation (waiting or claimed), the user's text goes to the conversation's
/// topic (or as a reply to its card) and the bot stays quiet. Order 0: before any flow or the classifier.
/// </summary>
public sealed class HandoffTextRelay(OutboxWriter outbox, AgentGroup group) : ITextHandler
{
    public int Order => 0;

    public async Task<bool> TryHandleAsync(TurnContext turn, string text)
    {
        if (turn.Conversation is not { Status: ConversationStatus.WaitingForAgent or ConversationStatus.Claimed } conversation)
        {
            return false;
        }

        if (group.ChatId is { } groupId)
        {
            var tag = await group.IsForumAsync(turn.CancellationToken) ? "" : $"\n{HandoffTexts.Tag(conversation.Id)}";
            outbox.Enqueue(groupId, conversation, OutboundMethods.SendMessage, new OutboundPayload
            {
                Text = $"👤 <b>{Html.Escape(HandoffTexts.CustomerName(turn.User))}</b>: {Html.Escape(text)}{tag}",
                InConversationThread = true,
            });
        }

        return true;
    }
}

/// <summary>
/// The user's photos, documents and other media while a person has the conversation: copied into the topic by
/// Telegram (copyMessage), nothing downloaded or stored here. Order 5: after file validation (which stores
/// files and lets the message through), before the intake.
/// </summary>
public sealed class HandoffMediaRelay(OutboxWriter outbox, AgentGroup group) : IMediaHandler
{
    public int Order => 5;

    public Task<bool> TryHandleAsync(TurnContext turn, TelegramMessage message)
    {
        if (turn.Conversation is not { Status: ConversationStatus.WaitingForAgent or ConversationStatus.Claimed } conversation)
        {
            return Task.FromResult(false);
        }

        if (group.ChatId is { } groupId)
        {
            outbox.Enqueue(groupId, conversation, OutboundMethods.CopyMessage, new OutboundPayload
            {
                FromChatId = message.Chat.Id,
                SourceMessageId = message.Id,
                ParseMode = null,
                InConversationThread = true,
            });
        }

        return Task.FromResult(true);
    }
}
