using System.Collections.Concurrent;
using Dev2Prod.Core.Domain;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// Decides what a user's message is about, offline: a FAQ topic (<c>faq.&lt;id&gt;</c>), a conversational intent
/// (greeting, goodbye, help, intake.start, handoff.request) or <c>fallback</c> (anything else, for the LLM).
/// Built once from a <see cref="KnowledgeSnapshot"/> and immutable afterwards, so it is safe to share between
/// threads; a knowledge-base edit builds a new one (see <see cref="FaqKnowledgeBase"/>).
/// </summary>
/// <remarks>
/// Signals, combined linearly per intent (weights in <see cref="IntentClassifierOptions"/>) and turned into
/// confidences with a softmax: sentence-embedding similarity (nearest phrasing, mean of the k nearest, centroid;
/// embeddings centred on the phrasings' mean), a ridge-regression head trained at load on the embeddings plus a
/// few speech-act indicators, a logistic-regression head on sparse lexical features (stems, word pairs,
/// character trigrams), TF-IDF over the phrasings and keyword hits (typo-tolerant: unknown words are mapped onto
/// the vocabulary by Damerau-Levenshtein distance). Telegram commands map directly. The fallback is a class of its
/// own, trained on out-of-scope examples, and also a gate: a canned intent below
/// <see cref="IntentClassifierOptions.MinConfidence"/> or <see cref="IntentClassifierOptions.MinSimilarity"/>
/// becomes fallback.
/// </remarks>
public sealed class IntentClassifier
{
    private const int RankingSize = 5;

    private readonly ITextEmbedder _embedder;
    private readonly string[] _intents;
    private readonly int _fallback;
    private readonly float[][] _phrasingVectors;
    private readonly float[]? _mean;
    private readonly int[] _phrasingIntent;
    private readonly float[][] _centroids;
    private readonly RidgeHead _head;
    private readonly SparseLogisticHead? _sparse;
    private readonly LexicalIndex _lexical;
    private readonly Dictionary<string, FaqEntry> _entries;
    private readonly List<(FaqEntry Entry, int[] Phrasings, float[] AnswerVector)> _grounding;
    private readonly Dictionary<string, string> _commands;

    // Classify and MostSimilarEntries are usually called for the same text in a row: embed it once.
    private readonly ConcurrentDictionary<string, float[]> _recentQueries = new(StringComparer.Ordinal);

    private IntentClassifier(KnowledgeSnapshot knowledge, ITextEmbedder embedder, IntentClassifierOptions options, EmbeddingCache cache, CancellationToken ct)
    {
        Knowledge = knowledge;
        Options = options;
        _embedder = embedder;

        var training = knowledge.TrainingPhrasings();
        _intents = [.. training.Select(t => t.Intent).Distinct(StringComparer.Ordinal)];
        if (!_intents.Contains(IntentNames.Fallback))
        {
            _intents = [.. _intents, IntentNames.Fallback];
        }

        var index = _intents.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        _fallback = index[IntentNames.Fallback];
        _phrasingIntent = [.. training.Select(t => index[t.Intent])];

        var entryList = knowledge.EnabledEntries.ToList();
        _entries = entryList.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var answerTexts = entryList.Select(AnswerText).ToList();
        GroundingTexts = answerTexts;
        var vectors = cache.GetOrEmbed([.. training.Select(t => t.Text), .. answerTexts], embedder, ct);
        _phrasingVectors = vectors[..training.Count];
        if (options.CenterEmbeddings && training.Count > 1)
        {
            // Sentence embeddings share a large common direction; removing the mean makes cosines between
            // phrasings of different intents spread out, which helps nearest-neighbour matching.
            _mean = new float[embedder.Dimensions];
            foreach (var vector in _phrasingVectors)
            {
                VectorMath.AddScaled(_mean, vector, 1f / _phrasingVectors.Length);
            }

            _phrasingVectors = [.. _phrasingVectors.Select(Project)];
        }

        TrainingPhrasingCount = training.Count;

        _centroids = new float[_intents.Length][];
        for (var c = 0; c < _intents.Length; c++)
        {
            var sum = new float[embedder.Dimensions];
            for (var p = 0; p < _phrasingVectors.Length; p++)
            {
                if (_phrasingIntent[p] == c)
                {
                    VectorMath.AddScaled(sum, _phrasingVectors[p], 1);
                }
            }

            _centroids[c] = VectorMath.Normalised(sum);
        }

        var headInputs = training.Count > 0
            ? training.Select((t, i) => HeadInput(_phrasingVectors[i], t.Text, options)).ToList()
            : [HeadInput(new float[embedder.Dimensions], "", options)];
        _head = RidgeHead.Train(headInputs, training.Count > 0 ? _phrasingIntent : [_fallback], _intents.Length, options.HeadRidge);

        // An entry left without phrasings (all deleted in the dashboard) is not an intent; it is still found by id.
        var keywords = entryList
            .Where(e => index.ContainsKey(IntentNames.ForTopic(e.Id)))
            .SelectMany(e => e.Keywords.Select(k => (index[IntentNames.ForTopic(e.Id)], k)))
            .ToList();
        _lexical = new LexicalIndex([.. training.Select(t => (index[t.Intent], t.Text))], keywords, _intents.Length);

        _sparse = options.SparseWeight > 0 && training.Count > 0
            ? SparseLogisticHead.Train(_lexical.PhrasingFeatures, _phrasingIntent, _lexical.FeatureCount, _intents.Length,
                options.SparseL2, options.SparseIterations, ct)
            : null;

        _grounding = [];
        for (var e = 0; e < entryList.Count; e++)
        {
            var intent = index.GetValueOrDefault(IntentNames.ForTopic(entryList[e].Id), -1);
            var phrasings = Enumerable.Range(0, _phrasingIntent.Length).Where(p => _phrasingIntent[p] == intent).ToArray();
            _grounding.Add((entryList[e], phrasings, vectors[training.Count + e]));
        }

        _commands = BuildCommands(_entries);
    }

    /// <summary>The knowledge this classifier was built from.</summary>
    public KnowledgeSnapshot Knowledge { get; }

    public IntentClassifierOptions Options { get; }

    /// <summary>Every intent it can return, fallback included.</summary>
    public IReadOnlyList<string> Intents => _intents;

    /// <summary>The texts embedded for grounding besides the phrasings (entry titles and answers).</summary>
    internal IReadOnlyList<string> GroundingTexts { get; }

    /// <summary>How many phrasings it was trained on (after merging extras and removing duplicates).</summary>
    public int TrainingPhrasingCount { get; }

    /// <summary>
    /// Builds a classifier: embeds the phrasings (through <paramref name="cache"/> when given, so unchanged
    /// phrasings are not embedded again; by default the shipped embeddings are used for the MiniLM model) and
    /// trains the heads. Costs one to three seconds for the shipped knowledge.
    /// </summary>
    public static IntentClassifier Create(KnowledgeSnapshot knowledge, ITextEmbedder embedder, IntentClassifierOptions? options = null,
        EmbeddingCache? cache = null, CancellationToken ct = default) =>
        new(knowledge, embedder, options ?? IntentClassifierOptions.Default, cache ?? EmbeddingCache.For(embedder), ct);

    /// <summary>The enabled entry of a topic id, or null.</summary>
    public FaqEntry? FindEntry(string topicId) => _entries.GetValueOrDefault(topicId);

    /// <summary>Classifies one message. Never throws for odd input: empty text is fallback.</summary>
    public ClassificationResult Classify(string? text, CancellationToken ct = default)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            var empty = new IntentScore(IntentNames.Fallback, 1);
            return new ClassificationResult(trimmed, empty, [empty], IsAmbiguous: false);
        }

        if (TryCommand(trimmed) is { } command)
        {
            var score = new IntentScore(command, 1);
            return new ClassificationResult(trimmed, score, [score], IsAmbiguous: false);
        }

        return Decide(Evaluate(trimmed, ct), Options);
    }

    /// <summary>
    /// The FAQ entries closest in meaning to <paramref name="text"/> (best first), for grounding an LLM answer:
    /// similarity to the entry's phrasings and to its answer, in [0, 1].
    /// </summary>
    public IReadOnlyList<(FaqEntry Entry, double Similarity)> MostSimilarEntries(string text, int count)
    {
        if (count <= 0 || string.IsNullOrWhiteSpace(text) || _grounding.Count == 0)
        {
            return [];
        }

        var raw = EmbedQuery(text.Trim(), CancellationToken.None);
        var query = Project(raw);
        return [.. _grounding
            .Select(g =>
            {
                var best = 0.0;
                foreach (var p in g.Phrasings)
                {
                    best = Math.Max(best, VectorMath.Dot(query, _phrasingVectors[p]));
                }

                var answer = VectorMath.Dot(raw, g.AnswerVector);
                return (g.Entry, Similarity: Math.Clamp((0.7 * best) + (0.3 * Math.Max(answer, 0)), 0, 1));
            })
            .OrderByDescending(x => x.Similarity)
            .Take(count)];
    }

    /// <summary>The raw per-intent signals for a message (diagnostics, calibration).</summary>
    public IntentEvidence Evaluate(string text, CancellationToken ct = default)
    {
        var n = _intents.Length;
        var evidence = new IntentEvidence(text, _intents, _fallback);
        var query = Project(EmbedQuery(text, ct));

        var topK = Math.Max(1, Options.TopK);
        var best = new List<double>[n];
        for (var c = 0; c < n; c++)
        {
            best[c] = new List<double>(topK + 1);
        }

        for (var p = 0; p < _phrasingVectors.Length; p++)
        {
            var cosine = VectorMath.Dot(query, _phrasingVectors[p]);
            var list = best[_phrasingIntent[p]];
            if (list.Count < topK)
            {
                list.Add(cosine);
                list.Sort();
            }
            else if (cosine > list[0])
            {
                list[0] = cosine;
                list.Sort();
            }
        }

        for (var c = 0; c < n; c++)
        {
            evidence.Nearest[c] = best[c].Count > 0 ? best[c][^1] : 0;
            evidence.TopK[c] = best[c].Count > 0 ? best[c].Average() : 0;
            evidence.Centroid[c] = VectorMath.Dot(query, _centroids[c]);
        }

        var headInput = HeadInput(query, text, Options);
        _head.Score(headInput, evidence.Head);
        _lexical.Score(text, evidence.TfIdf, evidence.TfIdfCentroid, evidence.Keyword);
        _sparse?.Score(_lexical.Features(text), evidence.Sparse);
        return evidence;
    }

    /// <summary>Turns evidence into a decision under <paramref name="options"/> (calibration tries many).</summary>
    public static ClassificationResult Decide(IntentEvidence evidence, IntentClassifierOptions options)
    {
        var n = evidence.Intents.Count;
        var scores = new double[n];
        for (var c = 0; c < n; c++)
        {
            scores[c] = (options.NearestWeight * evidence.Nearest[c])
                + (options.TopKWeight * evidence.TopK[c])
                + (options.CentroidWeight * evidence.Centroid[c])
                + (options.HeadWeight * evidence.Head[c])
                + (options.SparseWeight * evidence.Sparse[c])
                + (options.TfIdfWeight * evidence.TfIdf[c])
                + (options.TfIdfCentroidWeight * evidence.TfIdfCentroid[c])
                + (options.KeywordWeight * evidence.Keyword[c]);
        }

        scores[evidence.FallbackIndex] += options.FallbackBias;

        // Softmax with temperature: confidences in [0, 1] that sum to 1.
        var max = scores.Max();
        var exp = scores.Select(s => Math.Exp((s - max) / options.Temperature)).ToArray();
        var total = exp.Sum();
        var ranking = Enumerable.Range(0, n)
            .Select(c => new IntentScore(evidence.Intents[c], exp[c] / total))
            .OrderByDescending(s => s.Confidence)
            .ToList();

        var top = ranking[0];
        var bestCannedSimilarity = 0.0;
        for (var c = 0; c < n; c++)
        {
            if (c != evidence.FallbackIndex)
            {
                bestCannedSimilarity = Math.Max(bestCannedSimilarity, evidence.Nearest[c]);
            }
        }

        var outOfScope = IntentNames.IsCanned(top.Name)
            && (top.Confidence < options.MinConfidence || bestCannedSimilarity < options.MinSimilarity);
        var intent = outOfScope ? new IntentScore(IntentNames.Fallback, 1 - top.Confidence) : top;

        var ambiguous = !outOfScope
            && ranking.Count > 1
            && IntentNames.IsCanned(ranking[0].Name)
            && IntentNames.IsCanned(ranking[1].Name)
            && ranking[0].Confidence - ranking[1].Confidence < options.AmbiguityMargin;

        return new ClassificationResult(evidence.Text, intent, ranking.Take(RankingSize).ToList(), ambiguous);
    }

    // The head sees the embedding and a few speech-act indicators (scaled: they must not drown the embedding).
    private static float[] HeadInput(float[] embedding, string text, IntentClassifierOptions options)
    {
        if (options.SpeechActScale <= 0)
        {
            return embedding;
        }

        var features = SpeechActFeatures.Compute(text);
        var input = new float[embedding.Length + features.Length];
        embedding.CopyTo(input, 0);
        for (var i = 0; i < features.Length; i++)
        {
            input[embedding.Length + i] = features[i] * (float)options.SpeechActScale;
        }

        return input;
    }

    private float[] Project(float[] vector)
    {
        if (_mean is null)
        {
            return vector;
        }

        var projected = (float[])vector.Clone();
        VectorMath.AddScaled(projected, _mean, -1);
        return VectorMath.Normalised(projected);
    }

    private float[] EmbedQuery(string text, CancellationToken ct)
    {
        if (_recentQueries.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var vector = _embedder.Embed([text], ct)[0];
        if (_recentQueries.Count > 256)
        {
            _recentQueries.Clear();
        }

        _recentQueries[text] = vector;
        return vector;
    }

    private string? TryCommand(string text)
    {
        if (text[0] != '/')
        {
            return null;
        }

        // "/help@Dev2ProdBot", "/start deep-link-payload", "/faq pricing".
        var parts = text[1..].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        var name = parts[0].Split('@')[0].ToLowerInvariant();
        if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-'))
        {
            return null;
        }

        if (name == "faq" && parts.Length > 1)
        {
            var topic = parts[1].Trim().ToLowerInvariant();
            if (_entries.ContainsKey(topic))
            {
                return IntentNames.ForTopic(topic);
            }
        }

        // An unknown command gets the menu: the user is clearly trying to drive the bot.
        return _commands.GetValueOrDefault(name, IntentNames.Help);
    }

    private static Dictionary<string, string> BuildCommands(Dictionary<string, FaqEntry> entries)
    {
        var commands = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["start"] = IntentNames.Greeting,
            ["help"] = IntentNames.Help,
            ["menu"] = IntentNames.Help,
            ["faq"] = IntentNames.Help,
            ["topics"] = IntentNames.Help,
            ["project"] = IntentNames.IntakeStart,
            ["quote"] = IntentNames.IntakeStart,
            ["human"] = IntentNames.HandoffRequest,
            ["agent"] = IntentNames.HandoffRequest,
            ["operator"] = IntentNames.HandoffRequest,
        };

        // "/pricing", "/contact", "/book_call": every topic is reachable by its id.
        foreach (var id in entries.Keys)
        {
            commands.TryAdd(id, IntentNames.ForTopic(id));
            commands.TryAdd(id.Replace('-', '_'), IntentNames.ForTopic(id));
        }

        return commands;
    }

    // What the grounding compares a question with: the title and the answer without markup.
    private static string AnswerText(FaqEntry entry)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(entry.Answer, "<[^>]+>", " ");
        plain = System.Net.WebUtility.HtmlDecode(plain);
        return entry.Title + ". " + plain;
    }
}

/// <summary>The per-intent signals behind a classification (all arrays are indexed like <see cref="Intents"/>).</summary>
public sealed class IntentEvidence
{
    internal IntentEvidence(string text, IReadOnlyList<string> intents, int fallbackIndex)
    {
        Text = text;
        Intents = intents;
        FallbackIndex = fallbackIndex;
        var n = intents.Count;
        Nearest = new double[n];
        TopK = new double[n];
        Centroid = new double[n];
        Head = new double[n];
        Sparse = new double[n];
        TfIdf = new double[n];
        TfIdfCentroid = new double[n];
        Keyword = new double[n];
    }

    public string Text { get; }
    public IReadOnlyList<string> Intents { get; }
    public int FallbackIndex { get; }
    public double[] Nearest { get; }
    public double[] TopK { get; }
    public double[] Centroid { get; }
    public double[] Head { get; }
    public double[] Sparse { get; }
    public double[] TfIdf { get; }
    public double[] TfIdfCentroid { get; }
    public double[] Keyword { get; }
}
