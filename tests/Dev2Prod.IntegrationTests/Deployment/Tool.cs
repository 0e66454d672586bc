using System.Diagnostics;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>Result of a command-line tool the deployment checks run.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => $"{Stdout}\n{Stderr}".Trim();
}

/// <summary>
/// Runs the command-line tools the deployment is checked with (kubectl, node, dclint, pg_dump...) from the
/// repository root, with a bounded wait. The npm tools are installed by scripts/prerequisites.sh (npm ci in tools/).
/// </summary>
internal static class Tool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static string NodeBin(string name)
    {
        var path = Path.Combine(RepositoryLayout.Root, "tools", "node_modules", ".bin", name);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{name} is not installed: run `npm ci --prefix tools` (scripts/prerequisites.sh test does).", path);
    }

    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? stdin = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = RepositoryLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        // No colour codes in the output the assertions read.
        info.Environment["NO_COLOR"] = "1";
        info.Environment["FORCE_COLOR"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        var cancellation = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellation);
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync(cancellation).WaitAsync(timeout ?? DefaultTimeout, cancellation);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout ?? DefaultTimeout}.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }
}
