using Dev2Prod.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// Holds the current <see cref="IntentClassifier"/> and swaps in a new one when the knowledge changes, without a
/// restart. Until the first <see cref="ReloadAsync"/> it serves the shipped seed. A singleton per process.
/// </summary>
public sealed partial class FaqKnowledgeBase
{
    private readonly ITextEmbedder _embedder;
    private readonly IntentClassifierOptions _options;
    private readonly ILogger _logger;
    private readonly EmbeddingCache _cache;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);

    private volatile State? _state;
    private long _version;

    public FaqKnowledgeBase(ITextEmbedder embedder, ILogger<FaqKnowledgeBase>? logger = null, IntentClassifierOptions? options = null)
    {
        _embedder = embedder;
        _cache = EmbeddingCache.For(embedder);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _options = options ?? IntentClassifierOptions.Default;
    }

    /// <summary>
    /// Increases by one whenever the knowledge changes (0 until the first build). Compare it with a value kept
    /// earlier to know whether answers, phrasings or topics changed.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The newest <c>updated_at</c> among the loaded entries (for a cheap "is the database newer?" check).</summary>
    public DateTimeOffset? LoadedUpdatedAt => _state?.UpdatedAt;

    /// <summary>The classifier for the current knowledge (built from the seed on first use if nothing was loaded).</summary>
    public IntentClassifier Classifier => (_state ?? InitialiseFromSeed()).Classifier;

    /// <summary>Shortcut for <c>Classifier.Classify</c>.</summary>
    public ClassificationResult Classify(string? text, CancellationToken ct = default) => Classifier.Classify(text, ct);

    /// <summary>
    /// Reads <c>faq_entries</c> and, if anything differs from what is loaded, builds a new classifier and swaps it
    /// in (embedding only phrasings never seen before). Returns true when the knowledge changed. Concurrent calls
    /// run one at a time; readers keep using the previous classifier until the new one is ready. With an empty
    /// table (not seeded yet) the seed stays in use.
    /// </summary>
    public async Task<bool> ReloadAsync(BotDbContext db, CancellationToken ct)
    {
        await _reloadGate.WaitAsync(ct);
        try
        {
            var entries = await db.FaqEntries.AsNoTracking().ToListAsync(ct);
            if (entries.Count == 0)
            {
                LogEmptyTable(_logger);
                return false;
            }

            var snapshot = KnowledgeSnapshot.FromEntries(entries);
            var updatedAt = entries.Max(e => e.UpdatedAt);
            return await Task.Run(() => Apply(snapshot, updatedAt, ct), ct);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Loads a given snapshot (tests, tools). Returns true when it differs from the current one.</summary>
    public bool Load(KnowledgeSnapshot snapshot, CancellationToken ct = default)
    {
        _reloadGate.Wait(ct);
        try
        {
            var updatedAt = snapshot.Entries.Count > 0 ? snapshot.Entries.Max(e => e.UpdatedAt) : (DateTimeOffset?)null;
            return Apply(snapshot, updatedAt, ct);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private bool Apply(KnowledgeSnapshot snapshot, DateTimeOffset? updatedAt, CancellationToken ct)
    {
        var fingerprint = snapshot.Fingerprint();
        var current = _state;
        if (current is not null && current.Fingerprint == fingerprint)
        {
            _state = current with { UpdatedAt = updatedAt };
            return false;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var missesBefore = _cache.Misses;
        var classifier = IntentClassifier.Create(snapshot, _embedder, _options, _cache, ct);

        // Keep the cache to what the current knowledge uses: phrasings deleted in the dashboard are forgotten.
        _cache.RetainOnly(classifier.Knowledge.TrainingPhrasings().Select(t => t.Text).Concat(classifier.GroundingTexts));
        _state = new State(classifier, fingerprint, updatedAt);
        var version = Interlocked.Increment(ref _version);
        LogReloaded(_logger, version, classifier.TrainingPhrasingCount, _cache.Misses - missesBefore,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    // First use before any reload: build from the seed. Taking the reload gate means a reload already under way
    // is awaited (its result is used) instead of embedding everything twice in parallel.
    private State InitialiseFromSeed()
    {
        _reloadGate.Wait();
        try
        {
            if (_state is { } existing)
            {
                return existing;
            }

            Apply(KnowledgeSnapshot.FromSeed(), updatedAt: null, CancellationToken.None);
            return _state!;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private sealed record State(IntentClassifier Classifier, string Fingerprint, DateTimeOffset? UpdatedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "faq_entries is empty; the classifier keeps the shipped seed")]
    private static partial void LogEmptyTable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "FAQ knowledge version {Version}: {Phrasings} phrasings, {Embedded} newly embedded, built in {Milliseconds:F0} ms")]
    private static partial void LogReloaded(ILogger logger, long version, int phrasings, long embedded, double milliseconds);
}
