using Dev2Prod.Core.Telegram;

namespace Dev2Prod.Api.Features.Conversations.Handlers;

/// <summary><c>/start</c> greets and shows what the bot can do; <c>/help</c> shows the same menu.</summary>
public sealed class StartAndHelpCommands(IEnumerable<MainMenuEntry> menu) : ICommandHandler
{
    public IReadOnlyCollection<string> Commands { get; } = ["start", "help", "menu"];

    public Task HandleAsync(TurnContext turn, string command, string arguments)
    {
        var name = Html.Escape(turn.User?.FirstName);
        var text = command == "start"
            ? $"Hi{(name.Length > 0 ? $" {name}" : "")}! I'm the assistant of <b>dev2production.tech</b>: we build web and mobile apps, " +
              "MVPs, cloud and DevOps setups and AI features, and take them to production.\n\n" + BotTexts.WhatICanDo
            : BotTexts.WhatICanDo;
        turn.Replies.Text(text, menu.MainMenuKeyboard());
        return Task.CompletedTask;
    }
}

/// <summary><c>/cancel</c> ends whatever flow is active and says so.</summary>
public sealed class CancelCommand(IEnumerable<MainMenuEntry> menu) : ICommandHandler
{
    public IReadOnlyCollection<string> Commands { get; } = ["cancel"];

    public Task HandleAsync(TurnContext turn, string command, string arguments)
    {
        var hadFlow = turn.Session.Flow is not null;
        turn.Session.EndFlow();
        turn.Replies.Text(hadFlow
            ? "Done, I've cancelled that. Anything else I can help with?"
            : "There's nothing to cancel right now. Anything else I can help with?", menu.MainMenuKeyboard());
        return Task.CompletedTask;
    }
}

/// <summary>Texts shared by the conversation features.</summary>
public static class BotTexts
{
    public const string WhatICanDo =
        "Here's what I can do:\n" +
        "• answer questions about our services, prices, process and terms\n" +
        "• take down your project idea and get you an estimate\n" +
        "• connect you with a person from our team\n\n" +
        "Just write your question, or pick an option below.";

    public const string NotUnderstood =
        "I'm not sure I understood that. Could you rephrase it, or pick one of the options below?";
}
