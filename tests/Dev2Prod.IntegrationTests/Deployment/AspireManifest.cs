using System.Text.Json.Nodes;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// The AppHost's deployment manifest, generated for real (<c>--publisher manifest</c>) into a temporary folder,
/// once per test class: what the Kubernetes manifests must keep up with.
/// </summary>
public sealed class AspireManifest : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"dev2prod-aspire-manifest-{Guid.NewGuid():N}");

    public string Text { get; private set; } = "";

    /// <summary>A fresh, mutable copy of the manifest.</summary>
    public JsonObject Parse() => JsonNode.Parse(Text)!.AsObject();

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "aspire-manifest.json");
        // --no-build: the solution is built before the tests run (test.sh), in the tests' own configuration.
        var result = await Tool.RunAsync(
            "dotnet",
            ["run", "--project", "Dev2Prod.AppHost", "--no-build", "-c", RepositoryLayout.Configuration, "--no-launch-profile",
             "--", "--publisher", "manifest", "--output-path", path],
            timeout: TimeSpan.FromMinutes(4));
        Assert.True(result.ExitCode == 0 && File.Exists(path), $"Generating the AppHost manifest failed:\n{result.Output}");
        Text = await File.ReadAllTextAsync(path);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
