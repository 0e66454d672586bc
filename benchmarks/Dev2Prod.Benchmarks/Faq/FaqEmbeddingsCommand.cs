using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Benchmarks.Faq;

/// <summary>
/// Regenerates the shipped embeddings (<see cref="ShippedEmbeddings"/>) after the seed or the extra phrasings
/// change; a unit test fails while they are stale. Run from the repository root.
/// </summary>
internal sealed class FaqEmbeddingsCommand : IBenchmark
{
    public string Name => "faq-embeddings";

    public string Description => "writes the precomputed phrasing embeddings embedded in Dev2Prod.Core [--out PATH]";

    public Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var path = Measure.Option(args, "--out") ?? Path.Combine("Dev2Prod.Core", "Features", "Faq", "Seed", "phrasing-embeddings.bin");
        var cache = new EmbeddingCache();
        var classifier = IntentClassifier.Create(KnowledgeSnapshot.FromSeed(), new SentenceEmbedder(), cache: cache, ct: ct);
        using (var file = File.Create(path))
        {
            ShippedEmbeddings.Write(file, cache.Entries);
        }

        Console.WriteLine($"{cache.Count} vectors ({classifier.TrainingPhrasingCount} phrasings and the answers) written to {path}");
        return Task.FromResult(0);
    }
}
