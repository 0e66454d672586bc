namespace Dev2Prod.Benchmarks;

/// <summary>One subcommand of the benchmark runner.</summary>
internal interface IBenchmark
{
    /// <summary>The subcommand (<c>faq</c>, later <c>webhook</c>, <c>llm</c>, ...).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Runs it with the remaining arguments; returns the process exit code.</summary>
    Task<int> RunAsync(string[] args, CancellationToken ct);
}
