using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Benchmarks.Faq;

/// <summary>
/// <c>--cache-file PATH</c>: keeps phrasing embeddings between runs so experiments with the classifier's options
/// do not re-embed every phrasing. Binary: count, then (text, dimensions, floats) per entry.
/// </summary>
internal static class CacheFile
{
    /// <summary>The file's cache when <c>--cache-file</c> is given, else the product's default for the embedder.</summary>
    public static EmbeddingCache Load(string[] args, ITextEmbedder embedder)
    {
        var path = Measure.Option(args, "--cache-file");
        if (path is null)
        {
            return EmbeddingCache.For(embedder);
        }

        var cache = new EmbeddingCache();
        if (!File.Exists(path))
        {
            return cache;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var text = reader.ReadString();
            var vector = new float[reader.ReadInt32()];
            for (var k = 0; k < vector.Length; k++)
            {
                vector[k] = reader.ReadSingle();
            }

            cache.Put(text, vector);
        }

        return cache;
    }

    public static void Save(string[] args, EmbeddingCache cache)
    {
        var path = Measure.Option(args, "--cache-file");
        if (path is null)
        {
            return;
        }

        using var writer = new BinaryWriter(File.Create(path));
        var entries = cache.Entries;
        writer.Write(entries.Count);
        foreach (var (text, vector) in entries)
        {
            writer.Write(text);
            writer.Write(vector.Length);
            foreach (var value in vector)
            {
                writer.Write(value);
            }
        }
    }
}
