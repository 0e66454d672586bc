using Dev2Prod.Core.Domain;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// Everything the classifier learns from, frozen at one moment: the FAQ entries (as stored, possibly edited in
/// the dashboard), the phrasings of the conversational intents, examples of questions the bot must not answer
/// with a canned reply (fallback), and extra training phrasings per topic. A new snapshot means a new classifier.
/// </summary>
public sealed record KnowledgeSnapshot(
    IReadOnlyList<FaqEntry> Entries,
    IReadOnlyDictionary<string, IReadOnlyList<string>> IntentPhrasings,
    IReadOnlyList<string> FallbackExamples,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraTopicPhrasings)
{
    /// <summary>The shipped knowledge: the seed's topics as entries, with the extra phrasings merged in.</summary>
    public static KnowledgeSnapshot FromSeed(FaqSeed? seed = null, ExtraPhrasings? extras = null)
    {
        seed ??= FaqSeed.Load();
        return FromEntries(seed.ToEntries(DateTimeOffset.UnixEpoch), seed, extras);
    }

    /// <summary>
    /// Entries as stored (the database is the source of truth for topics) plus the conversational intents and
    /// fallback examples of the seed, with the extra phrasings merged in.
    /// </summary>
    public static KnowledgeSnapshot FromEntries(IEnumerable<FaqEntry> entries, FaqSeed? seed = null, ExtraPhrasings? extras = null)
    {
        seed ??= FaqSeed.Load();
        extras ??= ExtraPhrasings.Load();

        var intents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var name in IntentNames.Conversational)
        {
            intents[name] = [.. seed.PhrasingsOf(name).Concat(extras.ForIntent(name))];
        }

        var fallback = seed.PhrasingsOf(IntentNames.Fallback).Concat(extras.ForIntent(IntentNames.Fallback)).ToList();

        // Copies: the classifier must not see later changes to tracked entities, nor change them.
        var copies = entries.Select(Copy).OrderBy(e => e.SortOrder).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var extraTopics = copies.ToDictionary(e => e.Id, e => extras.ForTopic(e.Id), StringComparer.Ordinal);
        return new KnowledgeSnapshot(copies, intents, fallback, extraTopics);
    }

    /// <summary>The entries the classifier may answer with (disabled ones are left to the fallback).</summary>
    public IEnumerable<FaqEntry> EnabledEntries => Entries.Where(e => e.IsEnabled);

    /// <summary>Training phrasings per intent, fallback included, duplicates (after trimming) removed.</summary>
    public IReadOnlyList<(string Intent, string Text)> TrainingPhrasings()
    {
        var result = new List<(string, string)>();
        foreach (var entry in EnabledEntries)
        {
            var extra = ExtraTopicPhrasings.TryGetValue(entry.Id, out var list) ? list : [];
            Add(IntentNames.ForTopic(entry.Id), entry.Phrasings.Concat(extra));
        }

        foreach (var (intent, phrasings) in IntentPhrasings)
        {
            Add(intent, phrasings);
        }

        Add(IntentNames.Fallback, FallbackExamples);
        return result;

        void Add(string intent, IEnumerable<string> phrasings)
        {
            foreach (var text in phrasings.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                result.Add((intent, text));
            }
        }
    }

    /// <summary>
    /// A digest of everything that shapes the classifier or its answers: equal fingerprints mean an equal
    /// knowledge base, so a reload can skip the rebuild.
    /// </summary>
    public string Fingerprint()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string value)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(value));
            hash.AppendData([0]);
        }

        foreach (var e in Entries)
        {
            Add(e.Id); Add(e.Category); Add(e.Title); Add(e.Answer); Add(e.ButtonsJson);
            Add(e.IsEnabled ? "1" : "0"); Add(e.SortOrder.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add(string.Join('\u001f', e.Phrasings)); Add(string.Join('\u001f', e.Keywords));
        }

        foreach (var (intent, text) in TrainingPhrasings())
        {
            Add(intent); Add(text);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static FaqEntry Copy(FaqEntry e) => new()
    {
        Id = e.Id,
        Category = e.Category,
        Title = e.Title,
        Answer = e.Answer,
        Phrasings = [.. e.Phrasings],
        Keywords = [.. e.Keywords],
        ButtonsJson = e.ButtonsJson,
        IsEnabled = e.IsEnabled,
        SortOrder = e.SortOrder,
        UpdatedAt = e.UpdatedAt,
        UpdatedBy = e.UpdatedBy,
    };
}
