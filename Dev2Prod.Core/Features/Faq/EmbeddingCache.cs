using System.Collections.Concurrent;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// Embeddings of training texts, by exact text, so rebuilding the classifier after an edit embeds only the
/// phrasings that changed. Thread-safe.
/// </summary>
public sealed class EmbeddingCache
{
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<UInt128, float[]>? _shipped;

    public EmbeddingCache()
    {
    }

    private EmbeddingCache(IReadOnlyDictionary<UInt128, float[]> shipped) => _shipped = shipped;

    /// <summary>
    /// A cache for <paramref name="embedder"/>: pre-filled (lazily) with the <see cref="ShippedEmbeddings"/> when
    /// it is the MiniLM <see cref="SentenceEmbedder"/> they were computed with; empty for any other model.
    /// </summary>
    public static EmbeddingCache For(ITextEmbedder embedder) =>
        embedder is SentenceEmbedder ? new EmbeddingCache(ShippedEmbeddings.Vectors) : new EmbeddingCache();

    public int Count => _vectors.Count;

    /// <summary>How many texts were embedded (cache misses) over the cache's life.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    private long _misses;

    /// <summary>The vectors of <paramref name="texts"/>, embedding (in batches) only those not cached yet.</summary>
    public float[][] GetOrEmbed(IReadOnlyList<string> texts, ITextEmbedder embedder, CancellationToken ct = default)
    {
        if (_shipped is { Count: > 0 })
        {
            foreach (var text in texts)
            {
                if (!_vectors.ContainsKey(text) && _shipped.TryGetValue(ShippedEmbeddings.Key(text), out var shipped))
                {
                    _vectors[text] = shipped;
                }
            }
        }

        var missing = texts.Where(t => !_vectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var vectors = embedder.Embed(missing, ct);
            for (var i = 0; i < missing.Count; i++)
            {
                _vectors[missing[i]] = vectors[i];
            }

            Interlocked.Add(ref _misses, missing.Count);
        }

        return [.. texts.Select(t => _vectors[t])];
    }

    /// <summary>Every cached text with its vector (to persist the cache).</summary>
    public IReadOnlyCollection<KeyValuePair<string, float[]>> Entries => _vectors.ToArray();

    /// <summary>Adds a vector computed elsewhere (a persisted cache); it must come from the same model.</summary>
    public void Put(string text, float[] vector) => _vectors[text] = vector;

    /// <summary>Forgets every text not in <paramref name="keep"/> (phrasings deleted in the dashboard).</summary>
    public void RetainOnly(IEnumerable<string> keep)
    {
        var set = keep.ToHashSet(StringComparer.Ordinal);
        foreach (var text in _vectors.Keys)
        {
            if (!set.Contains(text))
            {
                _vectors.TryRemove(text, out _);
            }
        }
    }
}
