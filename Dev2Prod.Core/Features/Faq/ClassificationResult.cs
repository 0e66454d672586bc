namespace Dev2Prod.Core.Features.Faq;

/// <summary>An intent with the classifier's confidence in it, in [0, 1].</summary>
public sealed record IntentScore(string Name, double Confidence);

/// <summary>
/// What the classifier made of one message. <see cref="Intent"/> is the decision (<c>fallback</c> when nothing
/// is confident enough); <see cref="Ranking"/> the five best intents by confidence; <see cref="IsAmbiguous"/>
/// says the two best are too close to call, so the bot should ask which one was meant (both as buttons).
/// </summary>
public sealed record ClassificationResult(string Text, IntentScore Intent, IReadOnlyList<IntentScore> Ranking, bool IsAmbiguous)
{
    /// <summary>The topic id when the decision is a FAQ topic, else null.</summary>
    public string? TopicId => IntentNames.TopicIdOf(Intent.Name);

    /// <summary>True when the bot answers from the knowledge base or a conversational flow, not the LLM.</summary>
    public bool IsCanned => IntentNames.IsCanned(Intent.Name);
}
