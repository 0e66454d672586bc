using System.Text.Json.Nodes;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// The Kubernetes objects of one overlay as `kubectl kustomize` renders them, checked against the Kubernetes
/// schemas by tools/k8s-validate.mjs (kubernetes-models, offline) and handed back as JSON.
/// </summary>
internal sealed record RenderedManifests(string Overlay, IReadOnlyList<JsonObject> Objects, ToolResult Validation)
{
    public static readonly string[] Overlays = ["production", "dev"];

    public static async Task<RenderedManifests> RenderAsync(string overlay)
    {
        var rendered = await Tool.RunAsync("kubectl", ["kustomize", Path.Combine("k8s", "overlays", overlay)]);
        Assert.True(rendered.ExitCode == 0, $"kubectl kustomize k8s/overlays/{overlay} failed:\n{rendered.Output}");

        var json = Path.Combine(Path.GetTempPath(), $"dev2prod-k8s-{overlay}-{Guid.NewGuid():N}.json");
        try
        {
            var validation = await ValidateAsync(rendered.Stdout, json);
            var objects = File.Exists(json)
                ? JsonNode.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken))!.AsArray().Select(o => o!.AsObject()).ToList()
                : [];
            return new RenderedManifests(overlay, objects, validation);
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>Runs the offline schema validation on YAML text.</summary>
    public static Task<ToolResult> ValidateAsync(string yaml, string? jsonOut = null)
    {
        List<string> args = [Path.Combine(RepositoryLayout.Root, "tools", "k8s-validate.mjs")];
        if (jsonOut is not null)
        {
            args.AddRange(["--json", jsonOut]);
        }

        return Tool.RunAsync("node", args, stdin: yaml);
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => (string?)o["metadata"]?["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"The {Overlay} overlay has no {kind} named '{name}'.");

    public JsonObject? Find(string kind, string name) => OfKind(kind).SingleOrDefault(o => (string?)o["metadata"]?["name"] == name);
}
