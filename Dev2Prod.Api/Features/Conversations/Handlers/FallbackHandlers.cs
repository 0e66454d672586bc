namespace Dev2Prod.Api.Features.Conversations.Handlers;

/// <summary>Last in line for free text: nothing else claimed it, so offer the menu instead of silence.</summary>
public sealed class NotUnderstoodTextHandler(IEnumerable<MainMenuEntry> menu) : ITextHandler
{
    public int Order => int.MaxValue;

    public Task<bool> TryHandleAsync(TurnContext turn, string text)
    {
        turn.Replies.Text(BotTexts.NotUnderstood, menu.MainMenuKeyboard());
        return Task.FromResult(true);
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
