using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Api.Features.Conversations.Handlers;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;

namespace Dev2Prod.Api.Features.Faq;

/// <summary>
/// Free text that no active flow claimed: classified offline, then answered from the knowledge base, routed
/// to the feature that owns the intent (intake, handoff, the LLM for fallback), or, when the two best topics
/// are too close, a short "did you mean" with both as buttons.
/// </summary>
public sealed class FaqTextHandler(
    FaqKnowledgeBase knowledge,
    FaqAnswers answers,
    IEnumerable<IIntentHandler> intentHandlers,
    IEnumerable<MainMenuEntry> menu,
    IEnumerable<Core.Features.Handoff.IConversationEscalator> escalators) : ITextHandler
{
    /// <summary>After active flows (which use low numbers), before the last-resort handler.</summary>
    public int Order => 1000;

    public async Task<bool> TryHandleAsync(TurnContext turn, string text)
    {
        var result = knowledge.Classify(text, turn.CancellationToken);
        var intent = result.Intent.Name;

        if (result.IsAmbiguous && TopTwoTopics(result) is { } candidates)
        {
            turn.Session.LastIntent = "clarify";
            turn.Replies.Text("I want to get this right. Which of these did you mean?",
                candidates.Select(e => (IReadOnlyList<OutboundButton>)[OutboundButton.Callback(e.Title, $"{FaqCallbacks.Prefix}:t:{e.Id}")]).ToList());
            return true;
        }

        turn.Session.ConsecutiveFallbacks = intent == IntentNames.Fallback ? turn.Session.ConsecutiveFallbacks + 1 : 0;
        if (result.TopicId is { } topicId && answers.SendAnswer(turn, topicId))
        {
            return true;
        }

        turn.Session.LastIntent = intent;
        var owner = intentHandlers.FirstOrDefault(h => string.Equals(h.Intent, intent, StringComparison.Ordinal));
        if (owner is not null)
        {
            await owner.HandleAsync(turn, text);
            return true;
        }

        switch (intent)
        {
            case IntentNames.Greeting:
                turn.Replies.Text($"Hello{Name(turn)}! " + BotTexts.WhatICanDo, menu.MainMenuKeyboard());
                break;
            case IntentNames.Help:
                turn.Replies.Text(BotTexts.WhatICanDo, menu.MainMenuKeyboard());
                break;
            case IntentNames.Goodbye:
                turn.Replies.Text("You're welcome! If anything else comes up, just write here. Have a great day!");
                break;
            case IntentNames.HandoffRequest:
                turn.Replies.Text("I'd be glad to put you in touch with a person. Please email <b>hello@dev2production.tech</b> " +
                                  "and our team will reply within one business day.");
                break;
            case IntentNames.IntakeStart:
                turn.Replies.Text("Great, we'd love to hear about your project! Send a short description to " +
                                  "<b>hello@dev2production.tech</b> and we'll come back with a ballpark estimate within 2 business days.");
                break;
            default:
                if (intent == IntentNames.Fallback && await RepeatedFallback.TryEscalateAsync(turn, escalators))
                {
                    break;
                }

                turn.Replies.Text(BotTexts.NotUnderstood, menu.MainMenuKeyboard());
                break;
        }

        return true;
    }

    private IReadOnlyList<FaqEntry>? TopTwoTopics(ClassificationResult result)
    {
        var topics = result.Ranking.Take(2)
            .Select(r => IntentNames.TopicIdOf(r.Name) is { } id ? answers.Find(id) : null)
            .OfType<FaqEntry>()
            .ToList();
        return topics.Count == 2 ? topics : null;
    }

    private static string Name(TurnContext turn) => turn.User?.FirstName is { Length: > 0 } name ? " " + Html.Escape(name) : "";
}

/// <summary>Buttons of the FAQ: the category menu, a topic, and the "did this answer your question" feedback.</summary>
public sealed class FaqCallbacks(FaqAnswers answers, IEnumerable<MainMenuEntry> menu, TimeProvider time) : ICallbackHandler
{
    public const string Prefix = "faq";

    string ICallbackHandler.Prefix => Prefix;

    public async Task HandleAsync(TurnContext turn, string payload)
    {
        var parts = payload.Split(':', 2);
        switch (parts)
        {
            case ["menu"]:
                FaqMenu.SendCategories(turn, answers);
                break;
            case ["c", var index] when int.TryParse(index, out var i):
                FaqMenu.SendTopics(turn, answers, i);
                break;
            case ["t", var topicId]:
                if (!answers.SendAnswer(turn, topicId))
                {
                    turn.Replies.AnswerCallback("That topic is no longer available.");
                }

                break;
            case [var verdict, var topicId] when verdict is "y" or "n":
                await RecordFeedbackAsync(turn, topicId, helpful: verdict == "y");
                break;
        }
    }

    private async Task RecordFeedbackAsync(TurnContext turn, string topicId, bool helpful)
    {
        turn.Db.AuditLog.Add(new AuditLogEntry
        {
            At = time.GetUtcNow(),
            Actor = $"telegram-user:{turn.User?.Id}",
            Action = "faq.feedback",
            Target = topicId,
            Details = helpful ? "helpful" : "not helpful",
        });
        if (helpful)
        {
            turn.Replies.AnswerCallback("Thanks for the feedback!");
            return;
        }

        var options = new List<IReadOnlyList<OutboundButton>>();
        if (answers.HasFeature("llm"))
        {
            options.Add([OutboundButton.Callback("Ask our AI assistant", "llm:ask")]);
        }

        if (answers.HasFeature("handoff"))
        {
            options.Add([OutboundButton.Callback("Talk to a human", "handoff:request:faq_declined")]);
        }

        turn.Replies.Text(options.Count > 0
            ? "Sorry that didn't help. You can rephrase your question, or:"
            : "Sorry that didn't help. Try rephrasing your question, or email <b>hello@dev2production.tech</b> and a person will reply.",
            options.Count > 0 ? options : menu.MainMenuKeyboard());
        await Task.CompletedTask;
    }
}

/// <summary><c>/faq</c>: the topic categories as a menu.</summary>
public sealed class FaqCommand(FaqAnswers answers) : ICommandHandler
{
    public IReadOnlyCollection<string> Commands { get; } = ["faq"];

    public Task HandleAsync(TurnContext turn, string command, string arguments)
    {
        FaqMenu.SendCategories(turn, answers);
        return Task.CompletedTask;
    }
}

internal static class FaqMenu
{
    public static void SendCategories(TurnContext turn, FaqAnswers answers)
    {
        var categories = answers.Categories();
        turn.Replies.Text("What would you like to know? Pick a topic:",
            categories.Select((c, i) => (IReadOnlyList<OutboundButton>)[OutboundButton.Callback(c, $"{FaqCallbacks.Prefix}:c:{i}")]).ToList());
    }

    public static void SendTopics(TurnContext turn, FaqAnswers answers, int categoryIndex)
    {
        var categories = answers.Categories();
        if (categoryIndex < 0 || categoryIndex >= categories.Count)
        {
            turn.Replies.AnswerCallback("That menu is out of date.");
            SendCategories(turn, answers);
            return;
        }

        var category = categories[categoryIndex];
        var topics = answers.Entries().Where(e => e.Category == category).ToList();
        var rows = topics.Select(e => (IReadOnlyList<OutboundButton>)[OutboundButton.Callback(e.Title, $"{FaqCallbacks.Prefix}:t:{e.Id}")]).ToList();
        rows.Add([OutboundButton.Callback("« All topics", $"{FaqCallbacks.Prefix}:menu")]);
        turn.Replies.Text($"<b>{Html.Escape(category)}</b>", rows);
    }
}
