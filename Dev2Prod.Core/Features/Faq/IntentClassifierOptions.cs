namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// How the classifier weighs its signals and where it draws its lines. The defaults come from coordinate search
/// under 5-fold cross-validation on the training phrasings (the benchmark's <c>faq-tune</c> command), maximising
/// held-out accuracy minus the share of out-of-scope examples answered canned.
/// </summary>
public sealed record IntentClassifierOptions
{
    public static IntentClassifierOptions Default { get; } = new();

    /// <summary>Subtract the mean phrasing embedding before comparing (spreads cosines apart).</summary>
    public bool CenterEmbeddings { get; init; } = true;

    /// <summary>Best cosine between the message and one phrasing of the intent (nearest neighbour).</summary>
    public double NearestWeight { get; init; } = 1.0;

    /// <summary>Mean cosine of the <see cref="TopK"/> nearest phrasings of the intent.</summary>
    public double TopKWeight { get; init; } = 0.0;

    public int TopK { get; init; } = 3;

    /// <summary>Cosine with the intent's centroid.</summary>
    public double CentroidWeight { get; init; } = 0.15;

    /// <summary>Linear head (ridge regression on the embeddings) trained at load on all phrasings.</summary>
    public double HeadWeight { get; init; } = 1.5;

    public double HeadRidge { get; init; } = 3.0;

    /// <summary>Logistic regression over sparse lexical features (words, word pairs, character trigrams).</summary>
    public double SparseWeight { get; init; } = 0.25;

    public double SparseL2 { get; init; } = 3e-6;

    public int SparseIterations { get; init; } = 400;

    /// <summary>Scale of the speech-act indicators fed to the head next to the embedding (0 = none).</summary>
    public double SpeechActScale { get; init; } = 0.6;

    /// <summary>Best TF-IDF cosine with one phrasing of the intent.</summary>
    public double TfIdfWeight { get; init; } = 0.2;

    /// <summary>TF-IDF cosine with the intent's centroid.</summary>
    public double TfIdfCentroidWeight { get; init; } = 0.0;

    /// <summary>A topic keyword occurs in the message (typo-tolerant).</summary>
    public double KeywordWeight { get; init; } = 0.0;

    /// <summary>Added to the fallback's score: positive makes the bot more cautious.</summary>
    public double FallbackBias { get; init; } = 0.3;

    /// <summary>Softmax temperature that turns scores into confidences.</summary>
    public double Temperature { get; init; } = 0.02;

    /// <summary>Below this confidence the best canned intent is not trusted: the answer is fallback.</summary>
    public double MinConfidence { get; init; } = 0.2;

    /// <summary>Below this nearest-phrasing cosine (over every canned intent) the message is out of scope.</summary>
    public double MinSimilarity { get; init; } = 0.0;

    /// <summary>
    /// Two canned intents closer than this in confidence make the result ambiguous. 0.5 asks in about 1% of
    /// held-out messages, and in about half of those the top-1 was wrong but the runner-up right.
    /// </summary>
    public double AmbiguityMargin { get; init; } = 0.5;
}
