using System.Globalization;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Benchmarks.Faq;

/// <summary>
/// Calibrates <see cref="IntentClassifierOptions"/> without touching the dev set: k-fold cross-validation over the
/// training phrasings (seed + extras, fallback examples included). Each fold's phrasings are held out, a classifier
/// is built on the rest, and its evidence for the held-out texts is kept; then the weights and thresholds are
/// searched (coordinate ascent) to maximise held-out accuracy while keeping out-of-scope examples in fallback.
/// </summary>
internal sealed class FaqTuningBenchmark : IBenchmark
{
    public string Name => "faq-tune";

    public string Description => "cross-validates the classifier on its training phrasings and searches weights/thresholds [--folds N] [--errors]";

    public Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var folds = int.Parse(Measure.Option(args, "--folds") ?? "5", CultureInfo.InvariantCulture);
        var embedder = new SentenceEmbedder();
        var cache = CacheFile.Load(args, embedder);
        var snapshot = KnowledgeSnapshot.FromSeed();
        var training = snapshot.TrainingPhrasings();
        Console.WriteLine($"{training.Count} training phrasings, {folds} folds");

        var samples = new List<(string Expected, IntentEvidence Evidence)>();
        var start = OptionsParser.Parse(args);
        for (var fold = 0; fold < folds; fold++)
        {
            var heldOut = training.Where((t, i) => PositionInIntent(training, i) % folds == fold).ToHashSet();
            var reduced = Without(snapshot, heldOut);
            var classifier = IntentClassifier.Create(reduced, embedder, start, cache, ct);
            foreach (var (intent, text) in heldOut)
            {
                if (text.StartsWith('/'))
                {
                    continue; // commands are matched directly, not learned
                }

                samples.Add((intent, classifier.Evaluate(text, ct)));
            }

            Console.WriteLine($"fold {fold + 1}/{folds}: {heldOut.Count} held out");
        }

        CacheFile.Save(args, cache);
        PrintSeparation(samples);
        var defaults = start;
        Report("defaults", defaults, samples);

        var best = defaults;
        var bestScore = Objective(best, samples);
        (string Name, double[] Values, Func<IntentClassifierOptions, double, IntentClassifierOptions> Set)[] parameters =
        [
            ("NearestWeight", [0, 0.25, 0.5, 0.75, 1, 1.5, 2], (o, v) => o with { NearestWeight = v }),
            ("TopKWeight", [0, 0.25, 0.5, 0.75, 1, 1.5], (o, v) => o with { TopKWeight = v }),
            ("CentroidWeight", [0, 0.15, 0.3, 0.5, 0.75, 1], (o, v) => o with { CentroidWeight = v }),
            ("HeadWeight", [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3], (o, v) => o with { HeadWeight = v }),
            ("SparseWeight", [0, 0.25, 0.5, 1, 1.5, 2], (o, v) => o with { SparseWeight = v }),
            ("TfIdfWeight", [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1], (o, v) => o with { TfIdfWeight = v }),
            ("TfIdfCentroidWeight", [0, 0.1, 0.2, 0.3, 0.5], (o, v) => o with { TfIdfCentroidWeight = v }),
            ("KeywordWeight", [0, 0.05, 0.1, 0.2, 0.3, 0.5], (o, v) => o with { KeywordWeight = v }),
            ("FallbackBias", [-0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8], (o, v) => o with { FallbackBias = v }),
            ("Temperature", [0.01, 0.02, 0.03, 0.05, 0.08, 0.12], (o, v) => o with { Temperature = v }),
            ("MinConfidence", [0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4], (o, v) => o with { MinConfidence = v }),
            ("MinSimilarity", [0, 0.3, 0.35, 0.4, 0.45, 0.5], (o, v) => o with { MinSimilarity = v }),
        ];

        for (var round = 0; round < 3; round++)
        {
            foreach (var (name, values, set) in parameters)
            {
                foreach (var value in values)
                {
                    var candidate = set(best, value);
                    var score = Objective(candidate, samples);
                    if (score > bestScore + 1e-9)
                    {
                        (best, bestScore) = (candidate, score);
                    }
                }
            }
        }

        Report("tuned", best, samples);
        foreach (var margin in new[] { 0.1, 0.3, 0.5, 0.7, 0.9 })
        {
            var candidate = defaults with { AmbiguityMargin = margin };
            var ambiguous = samples.Select(s => (s.Expected, Result: IntentClassifier.Decide(s.Evidence, candidate))).Where(r => r.Result.IsAmbiguous).ToList();
            var rescued = ambiguous.Count(r => r.Result.Intent.Name != r.Expected && r.Result.Ranking.Take(2).Any(x => x.Name == r.Expected));
            Console.WriteLine($"  ambiguity margin {margin}: {100.0 * ambiguous.Count / samples.Count:F1}% ambiguous, {rescued} of them rescue a wrong top-1");
        }

        Console.WriteLine(best);
        Console.WriteLine("--set " + string.Join(',', typeof(IntentClassifierOptions).GetProperties()
            .Where(p => p.CanWrite && p.PropertyType != typeof(IntentClassifierOptions))
            .Select(p => FormattableString.Invariant($"{p.Name}={p.GetValue(best)}"))));

        if (Measure.Flag(args, "--errors"))
        {
            foreach (var (expected, evidence) in samples)
            {
                var result = IntentClassifier.Decide(evidence, best);
                if (result.Intent.Name != expected)
                {
                    Console.WriteLine($"  {expected} -> {result.Intent.Name}: \"{evidence.Text}\"");
                }
            }
        }

        return Task.FromResult(0);
    }

    // The share of held-out in-scope phrasings classified right, minus a penalty for out-of-scope examples
    // answered with a canned intent (a wrong canned answer costs more than a detour through the LLM).
    private static double Objective(IntentClassifierOptions options, List<(string Expected, IntentEvidence Evidence)> samples)
    {
        var (accuracy, canned, _) = Evaluate(options, samples);
        return accuracy - (1.0 * canned);
    }

    private static (double Accuracy, double OutOfScopeCanned, double Ambiguous) Evaluate(IntentClassifierOptions options,
        List<(string Expected, IntentEvidence Evidence)> samples)
    {
        int inScope = 0, correct = 0, outOfScope = 0, canned = 0, ambiguous = 0;
        foreach (var (expected, evidence) in samples)
        {
            var result = IntentClassifier.Decide(evidence, options);
            ambiguous += result.IsAmbiguous ? 1 : 0;
            if (expected == IntentNames.Fallback)
            {
                outOfScope++;
                canned += result.IsCanned ? 1 : 0;
            }
            else
            {
                inScope++;
                correct += result.Intent.Name == expected ? 1 : 0;
            }
        }

        return (correct / (double)Math.Max(1, inScope), canned / (double)Math.Max(1, outOfScope), ambiguous / (double)samples.Count);
    }

    private static void Report(string label, IntentClassifierOptions options, List<(string Expected, IntentEvidence Evidence)> samples)
    {
        var (accuracy, canned, ambiguous) = Evaluate(options, samples);
        Console.WriteLine($"{label}: held-out accuracy in scope {accuracy:P1}, out of scope answered canned {canned:P1}, ambiguous {ambiguous:P1}");
    }

    // How well single scores separate in-scope from out-of-scope held-out texts (ROC AUC; 1 = perfectly).
    private static void PrintSeparation(List<(string Expected, IntentEvidence Evidence)> samples)
    {
        static double BestCanned(IntentEvidence e, double[] values) =>
            Enumerable.Range(0, values.Length).Where(c => c != e.FallbackIndex).Max(c => values[c]);

        (string Name, Func<IntentEvidence, double> Score)[] scores =
        [
            ("best canned nearest", e => BestCanned(e, e.Nearest)),
            ("canned nearest - fallback nearest", e => BestCanned(e, e.Nearest) - e.Nearest[e.FallbackIndex]),
            ("canned topK - fallback topK", e => BestCanned(e, e.TopK) - e.TopK[e.FallbackIndex]),
            ("best canned head - fallback head", e => BestCanned(e, e.Head) - e.Head[e.FallbackIndex]),
            ("best canned sparse - fallback sparse", e => BestCanned(e, e.Sparse) - e.Sparse[e.FallbackIndex]),
            ("best canned tfidf", e => BestCanned(e, e.TfIdf)),
            ("canned tfidf - fallback tfidf", e => BestCanned(e, e.TfIdf) - e.TfIdf[e.FallbackIndex]),
        ];
        (string Name, Func<IntentEvidence, double[]> Values)[] signals =
        [
            ("nearest", e => e.Nearest), ("topK", e => e.TopK), ("centroid", e => e.Centroid), ("ridge", e => e.Head),
            ("sparse", e => e.Sparse), ("tfidf", e => e.TfIdf), ("tfidf centroid", e => e.TfIdfCentroid),
        ];
        var inScope = samples.Where(s => s.Expected != IntentNames.Fallback).ToList();
        foreach (var (name, values) in signals)
        {
            var right = inScope.Count(s =>
            {
                var v = values(s.Evidence);
                var best = Enumerable.Range(0, v.Length).Where(c => c != s.Evidence.FallbackIndex).MaxBy(c => v[c]);
                return s.Evidence.Intents[best] == s.Expected;
            });
            Console.WriteLine($"  top-1 among canned {100.0 * right / inScope.Count:F1}%  {name}");
        }

        foreach (var (name, score) in scores)
        {
            var positives = samples.Where(s => s.Expected != IntentNames.Fallback).Select(s => score(s.Evidence)).ToList();
            var negatives = samples.Where(s => s.Expected == IntentNames.Fallback).Select(s => score(s.Evidence)).ToList();
            var wins = 0.0;
            foreach (var p in positives)
            {
                foreach (var n in negatives)
                {
                    wins += p > n ? 1 : p == n ? 0.5 : 0;
                }
            }

            Console.WriteLine($"  AUC {wins / (positives.Count * (double)negatives.Count):F3}  {name}");
        }
    }

    private static int PositionInIntent(IReadOnlyList<(string Intent, string Text)> training, int index)
    {
        var position = 0;
        for (var i = 0; i < index; i++)
        {
            position += training[i].Intent == training[index].Intent ? 1 : 0;
        }

        return position;
    }

    private static KnowledgeSnapshot Without(KnowledgeSnapshot snapshot, HashSet<(string Intent, string Text)> heldOut)
    {
        bool Keep(string intent, string text) => !heldOut.Contains((intent, text.Trim()));

        var entries = snapshot.Entries.Select(e => new FaqEntry
        {
            Id = e.Id,
            Category = e.Category,
            Title = e.Title,
            Answer = e.Answer,
            Phrasings = [.. e.Phrasings.Where(p => Keep(IntentNames.ForTopic(e.Id), p))],
            Keywords = e.Keywords,
            ButtonsJson = e.ButtonsJson,
            IsEnabled = e.IsEnabled,
            SortOrder = e.SortOrder,
        }).ToList();
        return new KnowledgeSnapshot(
            entries,
            snapshot.IntentPhrasings.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Where(t => Keep(p.Key, t))], StringComparer.Ordinal),
            [.. snapshot.FallbackExamples.Where(t => Keep(IntentNames.Fallback, t))],
            snapshot.ExtraTopicPhrasings.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value.Where(t => Keep(IntentNames.ForTopic(p.Key), t))], StringComparer.Ordinal));
    }
}
