using System.Text;
using System.Text.RegularExpressions;
using Dev2Prod.Core.Domain;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Dev2Prod.Core.Features.Llm;

/// <summary>An earlier message of the conversation, oldest first.</summary>
public sealed record PromptHistoryMessage(SenderType Sender, string Text);

/// <summary>The messages sent to the model and the token count used to estimate the cost.</summary>
public sealed record LlmPrompt(IReadOnlyList<ChatMessage> Messages, int InputTokens, IReadOnlyList<string> KnowledgeIds);

/// <summary>
/// Builds a grounded prompt: what the assistant is (dev2production.tech, answer only from the given facts),
/// the knowledge-base entries most similar to the question, and as much of the recent conversation as fits
/// the token budget (newest first, counted with the cl100k tokenizer: close enough for budgeting any model).
/// </summary>
public sealed partial class LlmPromptBuilder
{
    /// <summary>The model writes this (alone or with an answer) when a person should take over.</summary>
    public const string HandoffMarker = "[[HANDOFF]]";

    private static readonly Lazy<Tokenizer> SharedTokenizer = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    // Per-message framing the chat format adds (role, separators): counted so the budget holds.
    private const int MessageOverheadTokens = 4;

    public static string SystemPrompt { get; } =
        "You are the assistant of dev2production.tech, a software agency that builds and runs web and mobile " +
        "products for clients. Answer questions about the agency's services, process, pricing and policies " +
        "briefly (at most a few short paragraphs), in the user's language, in plain text without markdown or HTML. " +
        "Use only the facts under 'Knowledge base' and the conversation; never invent prices, dates, names or " +
        "promises. If the facts do not cover the question, say so and suggest talking to a person. " +
        $"If the user wants a person, is upset, or the question needs a human decision (a quote, a contract, a " +
        $"complaint), write {HandoffMarker} on its own line at the end of your reply.";

    public static int CountTokens(string text) => SharedTokenizer.Value.CountTokens(text);

    public LlmPrompt Build(string question, IReadOnlyList<FaqEntry> knowledge, IReadOnlyList<PromptHistoryMessage> history, int tokenBudget)
    {
        var system = new StringBuilder(SystemPrompt);
        var used = CountTokens(SystemPrompt) + MessageOverheadTokens;
        var questionTokens = CountTokens(question) + MessageOverheadTokens;
        var ids = new List<string>();
        if (knowledge.Count > 0)
        {
            system.Append("\n\nKnowledge base:");
            foreach (var entry in knowledge)
            {
                var fact = $"\n- {entry.Title}: {PlainText(entry.Answer)}";
                var cost = CountTokens(fact);
                if (used + cost + questionTokens > tokenBudget)
                {
                    break;
                }

                system.Append(fact);
                used += cost;
                ids.Add(entry.Id);
            }
        }

        used += questionTokens;
        var included = new List<ChatMessage>();
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var message = history[i];
            var cost = CountTokens(message.Text) + MessageOverheadTokens;
            if (used + cost > tokenBudget)
            {
                break;
            }

            used += cost;
            included.Add(new ChatMessage(message.Sender == SenderType.User ? ChatRole.User : ChatRole.Assistant, message.Text));
        }

        included.Reverse();
        List<ChatMessage> messages = [new(ChatRole.System, system.ToString()), .. included, new(ChatRole.User, question)];
        return new LlmPrompt(messages, used, ids);
    }

    /// <summary>FAQ answers are stored as Telegram HTML: the model gets the text only.</summary>
    internal static string PlainText(string html) =>
        System.Net.WebUtility.HtmlDecode(Tags().Replace(html, "")).Trim();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
