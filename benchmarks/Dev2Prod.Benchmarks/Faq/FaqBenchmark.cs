using System.Diagnostics;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Benchmarks.Faq;

/// <summary>
/// Quality and cost of the offline intent classifier on the held-out dev set: top-1 accuracy in scope, the share
/// of out-of-scope questions answered with a canned intent, the confusions, latency per message, load time and
/// memory.
/// </summary>
internal sealed class FaqBenchmark : IBenchmark
{
    public string Name => "faq";

    public string Description => "intent classifier on the dev set: accuracy, out-of-scope rate, confusions, latency, memory [--devset PATH] [--errors]";

    public Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var examples = DevExample.Load(Measure.Option(args, "--devset"));
        var baseline = Process.GetCurrentProcess().WorkingSet64;
        Console.WriteLine($"dev set: {examples.Count} lines ({examples.Count(e => e.Intent != IntentNames.Fallback)} in scope, " +
                          $"{examples.Count(e => e.Intent == IntentNames.Fallback)} out of scope)");

        var stopwatch = Stopwatch.StartNew();
        var embedder = new SentenceEmbedder();
        embedder.EnsureLoaded();
        var modelLoad = stopwatch.Elapsed;

        stopwatch.Restart();
        var options = OptionsParser.Parse(args);
        var cache = CacheFile.Load(args, embedder);
        var classifier = IntentClassifier.Create(KnowledgeSnapshot.FromSeed(), embedder, options, cache, ct);
        CacheFile.Save(args, cache);
        var build = stopwatch.Elapsed;
        Console.WriteLine($"model load: {modelLoad.TotalMilliseconds:F0} ms; classifier build: {build.TotalMilliseconds:F0} ms " +
                          $"({classifier.TrainingPhrasingCount} phrasings, {classifier.Intents.Count} intents)");

        // Warm-up on texts that are not in the dev set: ONNX Runtime's first runs, and enough calls for the JIT to
        // promote the hot methods to optimised code (tiered compilation recompiles after 30 calls, in the background).
        string[] warmUp = ["hello", "how much does an app cost", "what is the weather today", "can I talk to a person", "do you build ios apps"];
        for (var i = 0; i < 200; i++)
        {
            classifier.Classify(warmUp[i % warmUp.Length] + " " + i, ct);
            if (i % 50 == 49)
            {
                Thread.Sleep(100);
            }
        }

        var latencies = new List<double>(examples.Count);
        var results = new List<(DevExample Example, ClassificationResult Result)>(examples.Count);
        foreach (var example in examples)
        {
            var started = Stopwatch.GetTimestamp();
            var result = classifier.Classify(example.Text, ct);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            results.Add((example, result));
        }

        var inScope = results.Where(r => r.Example.Intent != IntentNames.Fallback).ToList();
        var outOfScope = results.Where(r => r.Example.Intent == IntentNames.Fallback).ToList();
        var correct = inScope.Count(r => r.Result.Intent.Name == r.Example.Intent);
        var inTop2 = inScope.Count(r => r.Result.Ranking.Take(2).Any(s => s.Name == r.Example.Intent));
        var canned = outOfScope.Count(r => r.Result.IsCanned);
        var ambiguous = results.Count(r => r.Result.IsAmbiguous);
        var ambiguousWrong = inScope.Count(r => r.Result.IsAmbiguous && r.Result.Intent.Name != r.Example.Intent
                                                && r.Result.Ranking.Take(2).Any(s => s.Name == r.Example.Intent));
        var inScopeToFallback = inScope.Count(r => !r.Result.IsCanned);

        Console.WriteLine();
        Console.WriteLine($"top-1 accuracy in scope:      {Percent(correct, inScope.Count)} ({correct}/{inScope.Count})");
        Console.WriteLine($"  in the top 2:               {Percent(inTop2, inScope.Count)}");
        Console.WriteLine($"  in scope sent to fallback:  {Percent(inScopeToFallback, inScope.Count)} ({inScopeToFallback})");
        Console.WriteLine($"out of scope answered canned: {Percent(canned, outOfScope.Count)} ({canned}/{outOfScope.Count})");
        Console.WriteLine($"ambiguous (clarifying question): {Percent(ambiguous, results.Count)} ({ambiguous}; {ambiguousWrong} of them rescue a wrong top-1)");

        Console.WriteLine();
        Console.WriteLine("confusions (expected -> got: count):");
        foreach (var group in results
                     .Where(r => r.Result.Intent.Name != r.Example.Intent)
                     .GroupBy(r => (r.Example.Intent, Got: r.Result.Intent.Name))
                     .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Intent, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {group.Key.Intent} -> {group.Key.Got}: {group.Count()}");
            if (Measure.Flag(args, "--errors"))
            {
                foreach (var (example, result) in group)
                {
                    Console.WriteLine($"      \"{example.Text}\" ({result.Intent.Confidence:F2}; {string.Join(", ", result.Ranking.Take(3).Select(s => $"{s.Name} {s.Confidence:F2}"))})");
                }
            }
        }

        latencies.Sort();
        Console.WriteLine();
        Console.WriteLine($"latency per message (after warm-up, {latencies.Count} texts): p50 {Measure.Percentile(latencies, 50):F2} ms, " +
                          $"p95 {Measure.Percentile(latencies, 95):F2} ms, p99 {Measure.Percentile(latencies, 99):F2} ms, max {latencies[^1]:F2} ms");
        Console.WriteLine($"memory: {Measure.Memory()}; working set grew {Measure.Mb(Process.GetCurrentProcess().WorkingSet64 - baseline)} since start");
        return Task.FromResult(0);
    }

    private static string Percent(int part, int whole) => whole == 0 ? "n/a" : $"{100.0 * part / whole:F1}%";
}
