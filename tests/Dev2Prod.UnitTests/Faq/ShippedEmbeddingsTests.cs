using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.UnitTests.Faq;

public sealed class ShippedEmbeddingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void EveryShippedPhrasingHasAPrecomputedVector()
    {
        // Fails after the seed or extra-phrasings.json change until the file is regenerated:
        // dotnet run -c Release --project benchmarks/Dev2Prod.Benchmarks -- faq-embeddings
        var missing = KnowledgeSnapshot.FromSeed().TrainingPhrasings()
            .Where(t => !ShippedEmbeddings.Vectors.ContainsKey(ShippedEmbeddings.Key(t.Text)))
            .Select(t => t.Text)
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void PrecomputedVectorsMatchWhatTheModelComputesNow()
    {
        var texts = KnowledgeSnapshot.FromSeed().TrainingPhrasings().Select(t => t.Text).Where((_, i) => i % 400 == 0).ToList();
        var live = SentenceEmbedder.Shared.Embed(texts, Ct);
        for (var i = 0; i < texts.Count; i++)
        {
            var shipped = ShippedEmbeddings.Vectors[ShippedEmbeddings.Key(texts[i])];
            var cosine = shipped.Zip(live[i], (a, b) => (double)a * b).Sum();
            Assert.True(cosine > 0.999, $"\"{texts[i]}\": cosine {cosine:F4}");
        }
    }

    [Fact]
    public void TheFormatRoundTrips()
    {
        using var stream = new MemoryStream();
        ShippedEmbeddings.Write(stream, [new("hello", [0.6f, 0.8f]), new("bye", [1f, 0f])]);
        stream.Position = 0;

        var read = ShippedEmbeddings.Read(stream);

        Assert.Equal([0.6f, 0.8f], read[ShippedEmbeddings.Key("hello")]);
        Assert.Equal([1f, 0f], read[ShippedEmbeddings.Key("bye")]);
    }
}
