using System.Text.Json;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.UnitTests.Faq;

/// <summary>
/// One classifier for the whole test assembly: loading the model costs ~1.5 s and ~320 MB, and embedding the
/// training phrasings a few seconds more, so every test class shares this instance.
/// </summary>
internal static class SharedClassifier
{
    private static readonly Lazy<IntentClassifier> Instance = new(
        () => IntentClassifier.Create(KnowledgeSnapshot.FromSeed(), SentenceEmbedder.Shared),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static IntentClassifier Value => Instance.Value;
}

/// <summary>The held-out dev set next to these tests (never used for training).</summary>
internal static class DevSet
{
    private static readonly Lazy<IReadOnlyList<(string Text, string Intent)>> Lines = new(Load);

    public static IReadOnlyList<(string Text, string Intent)> All => Lines.Value;

    private static IReadOnlyList<(string Text, string Intent)> Load()
    {
        // The test binary runs from bin/<configuration>/<framework>/ below the project folder; find Faq/devset.jsonl above it.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Faq", "devset.jsonl");
            if (File.Exists(candidate))
            {
                return [.. File.ReadLines(candidate)
                    .Where(line => !string.IsNullOrWhiteSpace(line))
                    .Select(line =>
                    {
                        using var json = JsonDocument.Parse(line);
                        return (json.RootElement.GetProperty("text").GetString()!, json.RootElement.GetProperty("intent").GetString()!);
                    })];
            }
        }

        throw new FileNotFoundException("Faq/devset.jsonl was not found above the test binaries.");
    }
}
