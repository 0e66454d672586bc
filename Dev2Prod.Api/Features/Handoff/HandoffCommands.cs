using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Features.Handoff;

namespace Dev2Prod.Api.Features.Handoff;

/// <summary><c>/human</c> asks for a person; <c>/bot</c> hands the conversation back to the assistant.</summary>
public sealed class HandoffCommands(ConversationEscalator escalator, IEnumerable<MainMenuEntry> menu) : ICommandHandler
{
    public IReadOnlyCollection<string> Commands { get; } = ["human", "bot"];

    public async Task HandleAsync(TurnContext turn, string command, string arguments)
    {
        var conversation = turn.RequireConversation();
        if (command == "human")
        {
            await escalator.EscalateAsync(conversation, EscalationReasons.UserRequest, turn.CancellationToken);
            return;
        }

        if (await escalator.HandBackToBotAsync(conversation, turn.CancellationToken))
        {
            turn.Session.ConsecutiveFallbacks = 0;
            turn.Replies.Text("Okay, you're back with the assistant. How can I help?", menu.MainMenuKeyboard());
            return;
        }

        turn.Replies.Text(conversation.Status == ConversationStatus.Bot
            ? "You're already talking to the assistant. How can I help?"
            : "How can I help?", menu.MainMenuKeyboard());
    }
}

/// <summary>The classifier recognised "I want to talk to a person".</summary>
public sealed class HandoffIntentHandler(ConversationEscalator escalator) : IIntentHandler
{
    public string Intent => IntentNames.HandoffRequest;

    public Task HandleAsync(TurnContext turn, string text) =>
        escalator.EscalateAsync(turn.RequireConversation(), EscalationReasons.UserRequest, turn.CancellationToken);
}
