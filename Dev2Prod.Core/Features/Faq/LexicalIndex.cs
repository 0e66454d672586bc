namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// Word-level signals over the training phrasings: TF-IDF (unigrams and bigrams of stemmed words) and the
/// topics' keywords, both matched after a typo-tolerant mapping of unknown words onto the known vocabulary
/// ("pirce" -> "price", "kubernets" -> "kubernetes"). Immutable once built; safe to share between threads.
/// </summary>
internal sealed class LexicalIndex
{
    private readonly int _intentCount;
    private readonly Dictionary<string, int> _terms = new(StringComparer.Ordinal);
    private readonly List<double> _idf = [];
    private readonly double _unknownIdf;

    // Inverted index: term id -> (phrasing, weight) and term id -> (intent, weight) for the per-intent centroid.
    private readonly List<List<(int Phrasing, float Weight)>> _postings = [];
    private readonly List<List<(int Intent, float Weight)>> _intentPostings = [];
    private readonly int[] _phrasingIntent;

    // Known surface words, by length, for the typo-tolerant lookup; with how often each occurs.
    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<string>> _vocabularyByLength = [];

    private readonly List<(string[] Stems, int Intent, double Weight)> _keywords = [];

    // Unknown words seen in messages -> their correction (bounded; the same typos recur).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _corrections = new(StringComparer.Ordinal);

    // Features of the sparse classifier: stems, stem pairs and character trigrams, with their IDF.
    private readonly Dictionary<string, int> _features = new(StringComparer.Ordinal);
    private readonly List<float> _featureIdf = [];
    private readonly float _unknownFeatureIdf;

    public LexicalIndex(IReadOnlyList<(int Intent, string Text)> phrasings, IReadOnlyList<(int Intent, string Keyword)> keywords, int intentCount)
    {
        _intentCount = intentCount;
        _phrasingIntent = [.. phrasings.Select(p => p.Intent)];

        var documents = new List<List<string>>(phrasings.Count);
        foreach (var (_, text) in phrasings)
        {
            var words = SurfaceWords(text);
            foreach (var word in words)
            {
                _vocabulary[word] = _vocabulary.GetValueOrDefault(word) + 1;
            }

            documents.Add(Terms(words));
        }

        foreach (var (_, keyword) in keywords)
        {
            foreach (var word in SurfaceWords(keyword))
            {
                _vocabulary[word] = _vocabulary.GetValueOrDefault(word) + 1;
            }
        }

        foreach (var word in _vocabulary.Keys)
        {
            if (!_vocabularyByLength.TryGetValue(word.Length, out var bucket))
            {
                _vocabularyByLength[word.Length] = bucket = [];
            }

            bucket.Add(word);
        }

        // Document frequencies -> smoothed IDF.
        var documentFrequency = new List<int>();
        foreach (var document in documents)
        {
            foreach (var term in document.Distinct(StringComparer.Ordinal))
            {
                if (!_terms.TryGetValue(term, out var id))
                {
                    _terms[term] = id = _terms.Count;
                    documentFrequency.Add(0);
                }

                documentFrequency[id]++;
            }
        }

        var n = documents.Count;
        _unknownIdf = Math.Log((n + 1.0) / 1.0) + 1;
        foreach (var df in documentFrequency)
        {
            _idf.Add(Math.Log((n + 1.0) / (df + 1.0)) + 1);
            _postings.Add([]);
            _intentPostings.Add([]);
        }

        var centroids = new Dictionary<int, double>[intentCount];
        for (var i = 0; i < intentCount; i++)
        {
            centroids[i] = [];
        }

        for (var d = 0; d < documents.Count; d++)
        {
            var vector = Vectorise(documents[d]);
            foreach (var (term, weight) in vector)
            {
                _postings[term].Add((d, (float)weight));
                var centroid = centroids[_phrasingIntent[d]];
                centroid[term] = centroid.GetValueOrDefault(term) + weight;
            }
        }

        for (var intent = 0; intent < intentCount; intent++)
        {
            var norm = Math.Sqrt(centroids[intent].Values.Sum(w => w * w));
            foreach (var (term, weight) in centroids[intent])
            {
                _intentPostings[term].Add((intent, (float)(weight / norm)));
            }
        }

        // Sparse classifier features.
        var featureLists = phrasings.Select(p => RawFeatures(SurfaceWords(p.Text))).ToList();
        var featureDf = new List<int>();
        foreach (var features in featureLists)
        {
            foreach (var feature in features.Distinct(StringComparer.Ordinal))
            {
                if (!_features.TryGetValue(feature, out var id))
                {
                    _features[feature] = id = _features.Count;
                    featureDf.Add(0);
                }

                featureDf[id]++;
            }
        }

        _featureIdf.AddRange(featureDf.Select(df => (float)(Math.Log((n + 1.0) / (df + 1.0)) + 1)));
        _unknownFeatureIdf = (float)(Math.Log(n + 1.0) + 1);
        PhrasingFeatures = [.. featureLists.Select(Sparse)];

        // Keywords: specific (multi-word, rare) keywords weigh more than generic ones shared by several topics.
        var keywordStems = keywords
            .Select(k => (Stems: Stems(SurfaceWords(k.Keyword)), k.Intent))
            .Where(k => k.Stems.Length > 0)
            .ToList();
        foreach (var (stems, intent) in keywordStems)
        {
            var key = string.Join(' ', stems);
            var sharedBy = keywordStems.Where(k => string.Join(' ', k.Stems) == key).Select(k => k.Intent).Distinct().Count();
            var weight = Math.Min(1.0, 0.7 + (0.15 * (stems.Length - 1))) / sharedBy;
            _keywords.Add((stems, intent, weight));
        }
    }

    /// <summary>Number of distinct sparse features (the sparse classifier's input size).</summary>
    public int FeatureCount => _features.Count;

    /// <summary>The sparse features of each training phrasing, in order.</summary>
    public IReadOnlyList<SparseVector> PhrasingFeatures { get; }

    /// <summary>The sparse features of a message (typo-corrected words).</summary>
    public SparseVector Features(string text) => Sparse(RawFeatures([.. SurfaceWords(text).Select(Correct)]));

    /// <summary>The query's words after shorthand expansion and typo correction (for diagnostics and tests).</summary>
    public IReadOnlyList<string> CorrectedWords(string text) => [.. SurfaceWords(text).Select(Correct)];

    /// <summary>
    /// Fills, per intent: the best TF-IDF cosine with one of its phrasings, the cosine with the intent's centroid,
    /// and the best keyword match (0 when none). Returns the corrected, stemmed words of the query.
    /// </summary>
    public string[] Score(string text, Span<double> bestPhrasing, Span<double> centroid, Span<double> keyword)
    {
        bestPhrasing.Clear();
        centroid.Clear();
        keyword.Clear();

        var words = SurfaceWords(text).Select(Correct).ToList();
        var stems = Stems(words);
        var vector = Vectorise(Terms(words));
        if (vector.Count > 0)
        {
            var perPhrasing = new Dictionary<int, double>();
            foreach (var (term, weight) in vector)
            {
                foreach (var (phrasing, w) in _postings[term])
                {
                    perPhrasing[phrasing] = perPhrasing.GetValueOrDefault(phrasing) + (weight * w);
                }

                foreach (var (intent, w) in _intentPostings[term])
                {
                    centroid[intent] += weight * w;
                }
            }

            foreach (var (phrasing, score) in perPhrasing)
            {
                var intent = _phrasingIntent[phrasing];
                bestPhrasing[intent] = Math.Max(bestPhrasing[intent], score);
            }
        }

        foreach (var (keywordStems, intent, weight) in _keywords)
        {
            if (ContainsSequence(stems, keywordStems))
            {
                keyword[intent] = Math.Max(keyword[intent], weight);
            }
        }

        return stems;
    }

    private static List<string> RawFeatures(IReadOnlyList<string> words)
    {
        var features = new List<string>();
        var stems = Stems(words);
        foreach (var stem in stems)
        {
            features.Add("w:" + stem);
        }

        for (var i = 1; i < stems.Length; i++)
        {
            features.Add("b:" + stems[i - 1] + "_" + stems[i]);
        }

        foreach (var word in words)
        {
            var padded = "#" + word + "#";
            for (var i = 0; i + 3 <= padded.Length; i++)
            {
                features.Add("c:" + padded.Substring(i, 3));
            }
        }

        return features;
    }

    private SparseVector Sparse(List<string> features)
    {
        var counts = new Dictionary<int, int>();
        var norm = 0.0;
        foreach (var group in features.GroupBy(f => f, StringComparer.Ordinal))
        {
            var tf = 1 + Math.Log(group.Count());
            if (_features.TryGetValue(group.Key, out var id))
            {
                counts[id] = group.Count();
                norm += Math.Pow(tf * _featureIdf[id], 2);
            }
            else
            {
                norm += Math.Pow(tf * _unknownFeatureIdf, 2);
            }
        }

        if (counts.Count == 0)
        {
            return new SparseVector([], []);
        }

        norm = Math.Sqrt(norm);
        var ordered = counts.OrderBy(c => c.Key).ToArray();
        return new SparseVector(
            [.. ordered.Select(c => c.Key)],
            [.. ordered.Select(c => (float)((1 + Math.Log(c.Value)) * _featureIdf[c.Key] / norm))]);
    }

    private static List<string> SurfaceWords(string text) =>
        [.. TextAnalysis.Words(TextAnalysis.Normalise(text)).Select(TextAnalysis.ExpandShorthand)];

    private static string[] Stems(IEnumerable<string> words) => [.. words.Select(TextAnalysis.Stem)];

    private static List<string> Terms(IReadOnlyList<string> words)
    {
        var stems = Stems(words);
        var terms = new List<string>(stems.Length * 2);
        terms.AddRange(stems);
        for (var i = 1; i < stems.Length; i++)
        {
            terms.Add(stems[i - 1] + "_" + stems[i]);
        }

        return terms;
    }

    // Sparse L2-normalised TF-IDF vector over known terms; unknown terms still count in the norm, so a text made
    // mostly of words the knowledge base never uses scores low everywhere (an out-of-scope hint).
    private List<(int Term, double Weight)> Vectorise(List<string> terms)
    {
        var counts = new Dictionary<int, int>();
        var norm = 0.0;
        foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
        {
            var tf = 1 + Math.Log(group.Count());
            if (_terms.TryGetValue(group.Key, out var id))
            {
                counts[id] = group.Count();
                var w = tf * _idf[id];
                norm += w * w;
            }
            else
            {
                // Bigrams of known words that never occur together are weak evidence either way: count them lightly.
                var w = tf * _unknownIdf * (group.Key.Contains('_', StringComparison.Ordinal) ? 0.5 : 1.0);
                norm += w * w;
            }
        }

        if (norm == 0)
        {
            return [];
        }

        norm = Math.Sqrt(norm);
        return [.. counts.Select(c => (c.Key, (1 + Math.Log(c.Value)) * _idf[c.Key] / norm))];
    }

    private string Correct(string word)
    {
        if (_vocabulary.ContainsKey(word) || !word.All(char.IsLetter))
        {
            return word;
        }

        if (_corrections.TryGetValue(word, out var known))
        {
            return known;
        }

        var corrected = FindCorrection(word);
        if (_corrections.Count > 10_000)
        {
            _corrections.Clear();
        }

        _corrections[word] = corrected;
        return corrected;
    }

    private string FindCorrection(string word)
    {
        var allowed = TextAnalysis.AllowedTypos(word.Length);
        if (allowed == 0)
        {
            return word;
        }

        string? best = null;
        var bestDistance = allowed + 1;
        var bestFrequency = 0;
        for (var length = word.Length - allowed; length <= word.Length + allowed; length++)
        {
            if (!_vocabularyByLength.TryGetValue(length, out var bucket))
            {
                continue;
            }

            foreach (var candidate in bucket)
            {
                // Typos rarely hit the first letter; requiring it keeps "post" from becoming "cost".
                if (candidate[0] != word[0] || TextAnalysis.AllowedTypos(candidate.Length) == 0)
                {
                    continue;
                }

                var distance = TextAnalysis.DamerauLevenshtein(word, candidate, Math.Min(allowed, bestDistance));
                var frequency = _vocabulary[candidate];
                if (distance < bestDistance || (distance == bestDistance && frequency > bestFrequency))
                {
                    (best, bestDistance, bestFrequency) = (candidate, distance, frequency);
                }
            }
        }

        return best is not null && bestDistance <= allowed ? best : word;
    }

    private static bool ContainsSequence(string[] haystack, string[] needle)
    {
        for (var start = 0; start + needle.Length <= haystack.Length; start++)
        {
            var match = true;
            for (var k = 0; k < needle.Length && match; k++)
            {
                match = string.Equals(haystack[start + k], needle[k], StringComparison.Ordinal);
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }
}
