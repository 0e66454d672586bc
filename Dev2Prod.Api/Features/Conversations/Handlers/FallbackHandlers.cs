using Dev2Prod.Core.Features.Handoff;

namespace Dev2Prod.Api.Features.Conversations.Handlers;

/// <summary>Last in line for free text: nothing else claimed it, so offer the menu instead of silence (or a person, the second time).</summary>
public sealed class NotUnderstoodTextHandler(IEnumerable<MainMenuEntry> menu, IEnumerable<IConversationEscalator> escalators) : ITextHandler
{
    public int Order => int.MaxValue;

    public async Task<bool> TryHandleAsync(TurnContext turn, string text)
    {
        turn.Session.ConsecutiveFallbacks++;
        if (!await RepeatedFallback.TryEscalateAsync(turn, escalators))
        {
            turn.Replies.Text(BotTexts.NotUnderstood, menu.MainMenuKeyboard());
        }

        return true;
    }
}

/// <summary>
/// The bot did not understand two messages in a row (<see cref="ConversationSession.ConsecutiveFallbacks"/>):
/// rather than a third "could you rephrase", a person takes over (reason repeated_fallback), when the handoff
/// feature is present.
/// </summary>
public static class RepeatedFallback
{
    public const int Threshold = 2;

    public static async Task<bool> TryEscalateAsync(TurnContext turn, IEnumerable<IConversationEscalator> escalators)
    {
        if (turn.Session.ConsecutiveFallbacks < Threshold || turn.Conversation is not { } conversation
            || escalators.FirstOrDefault() is not { } escalator)
        {
            return false;
        }

        if (turn.Db.Entry(conversation).State == Microsoft.EntityFrameworkCore.EntityState.Added)
        {
            await turn.Db.SaveChangesAsync(turn.CancellationToken);
        }

        turn.Session.ConsecutiveFallbacks = 0;
        turn.Replies.Text("Sorry, I'm still not sure I understand.");
        var result = await escalator.EscalateAsync(conversation.Id, EscalationReasons.RepeatedFallback, turn.CancellationToken);
        return result != EscalationResult.ConversationNotFound;
    }
}

/// <summary>Last in line for non-text messages: say what the bot can read.</summary>
public sealed class UnsupportedContentHandler : IMediaHandler
{
    public int Order => int.MaxValue;

    public Task<bool> TryHandleAsync(TurnContext turn, global::Telegram.Bot.Types.Message message)
    {
        turn.Replies.Text("Thanks! I can only read text messages here for now. Please write your question as text.");
        return Task.FromResult(true);
    }
}
