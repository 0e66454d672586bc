namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// The intents the classifier can answer: <c>faq.&lt;topic id&gt;</c> per knowledge-base topic, plus the
/// conversational intents below. The names are part of the product's contract (buttons, analytics, the
/// dashboard), so they never change once released.
/// </summary>
public static class IntentNames
{
    public const string Greeting = "greeting";
    public const string Goodbye = "goodbye";
    public const string Help = "help";
    public const string IntakeStart = "intake.start";
    public const string HandoffRequest = "handoff.request";

    /// <summary>Anything else: complex or out-of-scope questions, which go to the LLM.</summary>
    public const string Fallback = "fallback";

    public const string FaqPrefix = "faq.";

    /// <summary>The conversational intents that have phrasings of their own (fallback is listed apart).</summary>
    public static IReadOnlyList<string> Conversational { get; } = [Greeting, Goodbye, Help, IntakeStart, HandoffRequest];

    /// <summary>The intent name of a topic: <c>faq.pricing</c> for <c>pricing</c>.</summary>
    public static string ForTopic(string topicId) => FaqPrefix + topicId;

    /// <summary>The topic id of a <c>faq.*</c> intent, or null for any other intent.</summary>
    public static string? TopicIdOf(string intent) =>
        intent.StartsWith(FaqPrefix, StringComparison.Ordinal) && intent.Length > FaqPrefix.Length ? intent[FaqPrefix.Length..] : null;

    /// <summary>True for the intents that are answered with a canned reply (every intent except fallback).</summary>
    public static bool IsCanned(string intent) => !string.Equals(intent, Fallback, StringComparison.Ordinal);
}
