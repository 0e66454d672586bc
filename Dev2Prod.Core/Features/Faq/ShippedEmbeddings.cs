using System.Security.Cryptography;
using System.Text;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// MiniLM embeddings of the shipped training phrasings and answers, computed ahead of time
/// (<c>dotnet run -c Release --project benchmarks/Dev2Prod.Benchmarks -- faq-embeddings</c>) and embedded in this
/// assembly, so a process builds its first classifier in seconds instead of embedding ~2,000 texts at start-up.
/// Texts are found by a hash of their exact content: an edited phrasing simply misses and is embedded live.
/// Format: "D2PE", version, dimensions, count, then per text a 16-byte SHA-256 prefix and the float32 vector.
/// </summary>
public static class ShippedEmbeddings
{
    public const string ResourceName = "Dev2Prod.Core.Features.Faq.phrasing-embeddings.bin";

    private const int FormatVersion = 1;

    private static readonly Lazy<IReadOnlyDictionary<UInt128, float[]>> Embedded = new(LoadEmbedded);

    /// <summary>The shipped vectors by text hash (empty when the resource is missing).</summary>
    public static IReadOnlyDictionary<UInt128, float[]> Vectors => Embedded.Value;

    public static UInt128 Key(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new UInt128(BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]));
    }

    /// <summary>Writes vectors in the shipped format (used by the benchmark tool that regenerates the file).</summary>
    public static void Write(Stream output, IReadOnlyCollection<KeyValuePair<string, float[]>> vectors)
    {
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write("D2PE"u8);
        writer.Write(FormatVersion);
        writer.Write(vectors.Count == 0 ? 0 : vectors.First().Value.Length);
        writer.Write(vectors.Count);
        foreach (var (text, vector) in vectors.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var key = Key(text);
            writer.Write((ulong)(key >> 64));
            writer.Write((ulong)key);
            foreach (var value in vector)
            {
                writer.Write(value);
            }
        }
    }

    public static Dictionary<UInt128, float[]> Read(Stream input)
    {
        using var reader = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(4).AsSpan().SequenceEqual("D2PE"u8) || reader.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException("Not a shipped-embeddings file of this version.");
        }

        var dimensions = reader.ReadInt32();
        var count = reader.ReadInt32();
        var vectors = new Dictionary<UInt128, float[]>(count);
        for (var i = 0; i < count; i++)
        {
            var upper = reader.ReadUInt64();
            var lower = reader.ReadUInt64();
            var vector = new float[dimensions];
            for (var k = 0; k < dimensions; k++)
            {
                vector[k] = reader.ReadSingle();
            }

            vectors[new UInt128(upper, lower)] = vector;
        }

        return vectors;
    }

    private static IReadOnlyDictionary<UInt128, float[]> LoadEmbedded()
    {
        using var stream = typeof(ShippedEmbeddings).Assembly.GetManifestResourceStream(ResourceName);
        return stream is null ? new Dictionary<UInt128, float[]>() : Read(stream);
    }
}
