using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dev2Prod.Core.Domain;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// The knowledge base as shipped: the 47 FAQ topics and the phrasings of the conversational intents. It is an
/// embedded resource of this assembly, so every process (Api, Worker, Admin, tests, benchmarks) has it without
/// a file on disk.
/// </summary>
public sealed record FaqSeed(int Version, IReadOnlyList<FaqSeedTopic> Topics, IReadOnlyList<FaqSeedIntent> Intents)
{
    /// <summary>Logical name of the embedded seed (see Dev2Prod.Core.csproj).</summary>
    public const string ResourceName = "Dev2Prod.Core.Features.Faq.faq-seed.json";

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Lazy<FaqSeed> Embedded = new(() => Load(typeof(FaqSeed).Assembly, ResourceName, Parse));

    /// <summary>The seed embedded in this assembly, parsed once per process.</summary>
    public static FaqSeed Load() => Embedded.Value;

    /// <summary>Parses a seed document (the shape of <c>faq-seed.json</c>).</summary>
    public static FaqSeed Parse(Stream json) =>
        JsonSerializer.Deserialize<FaqSeed>(json, JsonOptions) ?? throw new InvalidDataException("The FAQ seed is empty.");

    /// <summary>The phrasings of a conversational intent (greeting, help, fallback, ...); empty when the seed has none.</summary>
    public IReadOnlyList<string> PhrasingsOf(string intent) =>
        Intents.FirstOrDefault(i => string.Equals(i.Name, intent, StringComparison.Ordinal))?.Phrasings ?? [];

    /// <summary>The seed's topics as new <see cref="FaqEntry"/> rows, in seed order.</summary>
    public IReadOnlyList<FaqEntry> ToEntries(DateTimeOffset now) =>
        [.. Topics.Select((topic, index) => topic.ToEntry(sortOrder: (index + 1) * 10, now))];

    internal static T Load<T>(Assembly assembly, string resourceName, Func<Stream, T> parse)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing from {assembly.GetName().Name}.");
        return parse(stream);
    }
}

/// <summary>One FAQ topic of the seed.</summary>
public sealed record FaqSeedTopic(
    string Id,
    string Category,
    string Title,
    string Answer,
    IReadOnlyList<string> Phrasings,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<FaqButton> Buttons)
{
    /// <summary>A new row for this topic; <paramref name="sortOrder"/> leaves gaps so the dashboard can insert between.</summary>
    public FaqEntry ToEntry(int sortOrder, DateTimeOffset now) => new()
    {
        Id = Id,
        Category = Category,
        Title = Title,
        Answer = Answer,
        Phrasings = [.. Phrasings],
        Keywords = [.. Keywords],
        ButtonsJson = FaqButton.ToJson(Buttons),
        IsEnabled = true,
        SortOrder = sortOrder,
        UpdatedAt = now,
        UpdatedBy = null,
    };
}

/// <summary>A conversational intent of the seed (greeting, goodbye, help, intake.start, handoff.request, fallback).</summary>
public sealed record FaqSeedIntent(string Name, IReadOnlyList<string> Phrasings);

/// <summary>
/// An inline button under an answer. <see cref="Action"/> is an intent (<c>intake.start</c>), a topic
/// (<c>faq:pricing</c>) or a bot action (<c>book-call</c>).
/// </summary>
public sealed record FaqButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("action")] string Action)
{
    /// <summary>The <see cref="FaqEntry.ButtonsJson"/> form: <c>[{"text": "...", "action": "..."}]</c>.</summary>
    public static string ToJson(IEnumerable<FaqButton> buttons) => JsonSerializer.Serialize(buttons.ToList(), FaqSeed.JsonOptions);

    /// <summary>Reads <see cref="FaqEntry.ButtonsJson"/>; an empty or malformed value yields no buttons.</summary>
    public static IReadOnlyList<FaqButton> FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<FaqButton>>(json, FaqSeed.JsonOptions) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>
/// Extra training phrasings merged into the seed's at load time (<c>Seed/extra-phrasings.json</c>): they teach
/// the classifier wordings the seed lacks without changing the topics the dashboard edits.
/// </summary>
public sealed record ExtraPhrasings(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Topics,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Intents)
{
    /// <summary>Logical name of the embedded extra phrasings (see Dev2Prod.Core.csproj).</summary>
    public const string ResourceName = "Dev2Prod.Core.Features.Faq.extra-phrasings.json";

    public static ExtraPhrasings Empty { get; } = new(new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, IReadOnlyList<string>>());

    private static readonly Lazy<ExtraPhrasings> Embedded = new(() => FaqSeed.Load(typeof(ExtraPhrasings).Assembly, ResourceName, Parse));

    /// <summary>The extra phrasings embedded in this assembly, parsed once per process.</summary>
    public static ExtraPhrasings Load() => Embedded.Value;

    public static ExtraPhrasings Parse(Stream json)
    {
        var parsed = JsonSerializer.Deserialize<ExtraPhrasings>(json, FaqSeed.JsonOptions);
        return new(parsed?.Topics ?? Empty.Topics, parsed?.Intents ?? Empty.Intents);
    }

    /// <summary>The extra phrasings of a topic id, or none.</summary>
    public IReadOnlyList<string> ForTopic(string topicId) => Topics.TryGetValue(topicId, out var list) ? list : [];

    /// <summary>The extra phrasings of a conversational intent (or <c>fallback</c>), or none.</summary>
    public IReadOnlyList<string> ForIntent(string intent) => Intents.TryGetValue(intent, out var list) ? list : [];
}
