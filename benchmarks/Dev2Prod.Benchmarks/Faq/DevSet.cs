using System.Text.Json;

namespace Dev2Prod.Benchmarks.Faq;

/// <summary>The held-out dev set: one <c>{"text": ..., "intent": ...}</c> per line.</summary>
internal sealed record DevExample(string Text, string Intent)
{
    public static IReadOnlyList<DevExample> Load(string? path)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "Faq", "devset.jsonl");
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return [.. File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => JsonSerializer.Deserialize<DevExample>(line, options) ?? throw new InvalidDataException(line))];
    }
}
