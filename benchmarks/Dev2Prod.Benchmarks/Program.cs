using Dev2Prod.Benchmarks;
using Dev2Prod.Benchmarks.Dashboard;
using Dev2Prod.Benchmarks.Faq;
using Dev2Prod.Benchmarks.Llm;
using Dev2Prod.Benchmarks.Webhook;

// Each benchmark is a subcommand: `dotnet run -c Release --project benchmarks/Dev2Prod.Benchmarks -- faq`.
// Add one by implementing IBenchmark and listing it here.
IBenchmark[] benchmarks =
[
    new FaqBenchmark(),
    new FaqTuningBenchmark(),
    new WebhookBenchmark(),
    new FaqEmbeddingsCommand(),
    new DashboardBenchmark(),
    new LlmBenchmark(),
];

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("usage: Dev2Prod.Benchmarks <benchmark> [options]");
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-10} {b.Description}");
    }

    return args.Length == 0 ? 1 : 0;
}

var benchmark = benchmarks.FirstOrDefault(b => string.Equals(b.Name, args[0], StringComparison.OrdinalIgnoreCase));
if (benchmark is null)
{
    await Console.Error.WriteLineAsync($"unknown benchmark '{args[0]}'; known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
return await benchmark.RunAsync(args[1..], cts.Token);
