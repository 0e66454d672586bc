using System.Text.Json;
using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Telegram.Outbox;

namespace Dev2Prod.Api.Features.Faq;

/// <summary>
/// Turns knowledge-base entries into Telegram messages: the answer with its buttons, then "Did this answer your
/// question?". Buttons that lead to a feature this deployment does not have are left out, so no button is dead.
/// </summary>
public sealed class FaqAnswers(FaqKnowledgeBase knowledge, IServiceProvider services)
{
    public const string BookCallUrl = "https://dev2production.tech/book";

    // Resolved on first use, not injected: the FAQ's own callback handler depends on this class.
    private HashSet<string>? _features;

    public FaqEntry? Find(string topicId) => knowledge.Classifier.FindEntry(topicId);

    /// <summary>Sends the topic's answer and the feedback question; false when the topic does not exist (any more).</summary>
    public bool SendAnswer(TurnContext turn, string topicId)
    {
        var entry = Find(topicId);
        if (entry is null || !entry.IsEnabled)
        {
            return false;
        }

        var buttons = ButtonsOf(entry).Select(b => (IReadOnlyList<OutboundButton>)[b]).ToList();
        turn.Replies.Text(entry.Answer, buttons.Count > 0 ? buttons : null);
        turn.Replies.Text("Did this answer your question?",
        [
            [OutboundButton.Callback("👍 Yes", $"{FaqCallbacks.Prefix}:y:{entry.Id}"), OutboundButton.Callback("👎 No", $"{FaqCallbacks.Prefix}:n:{entry.Id}")],
        ]);
        turn.Session.LastIntent = IntentNames.ForTopic(entry.Id);
        return true;
    }

    /// <summary>The categories of the knowledge base, in the order the entries are sorted.</summary>
    public IReadOnlyList<string> Categories() => Entries().Select(e => e.Category).Distinct(StringComparer.Ordinal).ToList();

    public IReadOnlyList<FaqEntry> Entries() =>
        knowledge.Classifier.Knowledge.Entries.Where(e => e.IsEnabled).OrderBy(e => e.SortOrder).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();

    public bool HasFeature(string callbackPrefix) =>
        (_features ??= services.GetServices<ICallbackHandler>().Select(h => h.Prefix).ToHashSet(StringComparer.Ordinal)).Contains(callbackPrefix);

    private IEnumerable<OutboundButton> ButtonsOf(FaqEntry entry)
    {
        List<EntryButton>? buttons;
        try
        {
            buttons = JsonSerializer.Deserialize<List<EntryButton>>(entry.ButtonsJson, JsonOptions);
        }
        catch (JsonException)
        {
            yield break; // a malformed edit must not break the answer itself
        }

        foreach (var button in buttons ?? [])
        {
            var mapped = button.Action switch
            {
                "book-call" => OutboundButton.Link(button.Text, BookCallUrl),
                "intake.start" when HasFeature("intake") => OutboundButton.Callback(button.Text, "intake:start"),
                "handoff.request" when HasFeature("handoff") => OutboundButton.Callback(button.Text, "handoff:request"),
                { } action when action.StartsWith("faq:", StringComparison.Ordinal) && Find(action[4..]) is not null
                    => OutboundButton.Callback(button.Text, $"{FaqCallbacks.Prefix}:t:{action[4..]}"),
                { } action when action.StartsWith("https://", StringComparison.Ordinal) => OutboundButton.Link(button.Text, action),
                _ => null,
            };
            if (mapped is not null)
            {
                yield return mapped;
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record EntryButton(string Text, string Action);
}
