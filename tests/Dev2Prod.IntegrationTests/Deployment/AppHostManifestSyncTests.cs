using System.Text.Json.Nodes;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// The Kubernetes manifests are kept in step with the AppHost: every project, setting, connection string and
/// secret parameter the AppHost gives the services has a counterpart in every overlay. Adding a setting to the
/// AppHost without adding it to k8s/ fails here.
/// </summary>
public sealed class AppHostManifestSyncTests(AspireManifest aspire) : IClassFixture<AspireManifest>
{
    public static TheoryData<string> Overlays => new(RenderedManifests.Overlays);

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task EveryAppHostProjectSettingAndSecretHasACounterpartInTheOverlay(string overlay)
    {
        var rendered = await RenderedManifests.RenderAsync(overlay);
        var manifest = aspire.Parse();

        var gaps = KubernetesCounterparts.FindGaps(manifest, rendered, overlayRunsDataStores: overlay == "dev");

        Assert.True(gaps.Count == 0, $"k8s/overlays/{overlay} is out of step with the AppHost:\n- {string.Join("\n- ", gaps)}");
        // The comparison really looked at something: the three services and their settings.
        var projects = manifest["resources"]!.AsObject().Where(r => ((string?)r.Value!["type"])!.StartsWith("project.", StringComparison.Ordinal)).Select(r => r.Key);
        Assert.Equal(["admin", "api", "worker"], projects.Order());
    }

    [Fact]
    public async Task TheSingleHostComposeFileGivesEachServiceEveryAppHostSetting()
    {
        var services = await ComposeServicesAsync();

        var gaps = ComposeCounterparts.FindGaps(aspire.Parse(), services);

        Assert.True(gaps.Count == 0, $"docker-compose.yml is out of step with the AppHost:\n- {string.Join("\n- ", gaps)}");

        var manifest = aspire.Parse();
        manifest["resources"]!["api"]!["env"]!["Files__MaxSizeMb"] = "20";
        Assert.Contains("compose service 'api' lacks Files__MaxSizeMb", ComposeCounterparts.FindGaps(manifest, services));
    }

    [Fact]
    public async Task ASettingAddedToTheAppHostOnlyIsReported()
    {
        var rendered = await RenderedManifests.RenderAsync("production");
        var manifest = aspire.Parse();
        manifest["resources"]!["worker"]!["env"]!["Handoff__EscalationTimeoutMinutes"] = "15";

        var gaps = KubernetesCounterparts.FindGaps(manifest, rendered, overlayRunsDataStores: false);

        var gap = Assert.Single(gaps);
        Assert.Contains("'worker'", gap, StringComparison.Ordinal);
        Assert.Contains("Handoff__EscalationTimeoutMinutes", gap, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewSecretParameterIsReportedUntilTheSecretCarriesIt()
    {
        var rendered = await RenderedManifests.RenderAsync("production");
        var manifest = aspire.Parse();
        manifest["resources"]!["crm-api-key"] = JsonNode.Parse("""
            { "type": "parameter.v0", "value": "{crm-api-key.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } }
            """);
        manifest["resources"]!["api"]!["env"]!["Crm__ApiKey"] = "{crm-api-key.value}";

        var gaps = KubernetesCounterparts.FindGaps(manifest, rendered, overlayRunsDataStores: false);

        Assert.Contains(gaps, g => g.Contains("Crm__ApiKey", StringComparison.Ordinal) && g.Contains("'api'", StringComparison.Ordinal));
        Assert.Contains(gaps, g => g.Contains("secret parameter 'crm-api-key'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASecretKeyMissingFromTheProductionSecretStoreMappingIsReported()
    {
        var rendered = await RenderedManifests.RenderAsync("production");
        var externalSecret = rendered.Single("ExternalSecret", "dev2prod-secrets");
        var data = externalSecret["spec"]!["data"]!.AsArray();
        data.Remove(data.Single(d => (string?)d!["secretKey"] == "Llm__ApiKey"));

        var gaps = KubernetesCounterparts.FindGaps(aspire.Parse(), rendered, overlayRunsDataStores: false);

        Assert.Contains(gaps, g => g.Contains("'worker'", StringComparison.Ordinal) && g.Contains("Llm__ApiKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASecretServedFromTheConfigMapIsReported()
    {
        var rendered = await RenderedManifests.RenderAsync("production");
        var manifest = aspire.Parse();
        // Telegram__WebhookUrl is in the ConfigMap; pretend the AppHost made it secret.
        manifest["resources"]!["telegram-webhook-url"]!["inputs"]!["value"]!["secret"] = true;

        var gaps = KubernetesCounterparts.FindGaps(manifest, rendered, overlayRunsDataStores: false);

        Assert.Contains(gaps, g => g.Contains("Telegram__WebhookUrl is secret but comes from a ConfigMap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANewProjectAndANewBackingContainerAreReported()
    {
        var rendered = await RenderedManifests.RenderAsync("dev");
        var manifest = aspire.Parse();
        manifest["resources"]!["scheduler"] = JsonNode.Parse("""{ "type": "project.v0", "path": "x.csproj", "env": {} }""");
        manifest["resources"]!["rabbitmq"] = JsonNode.Parse("""{ "type": "container.v0", "image": "rabbitmq:4" }""");

        var gaps = KubernetesCounterparts.FindGaps(manifest, rendered, overlayRunsDataStores: true);

        Assert.Contains("project 'scheduler' has no Deployment 'scheduler'", gaps);
        Assert.Contains(gaps, g => g.StartsWith("container 'rabbitmq'", StringComparison.Ordinal));
    }

    private static async Task<JsonObject> ComposeServicesAsync()
    {
        var result = await Tool.RunAsync("node", [Path.Combine(RepositoryLayout.Root, "tools", "compose-services.mjs"), "docker-compose.yml"]);
        Assert.True(result.ExitCode == 0, result.Output);
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }
}
