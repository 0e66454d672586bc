using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// Every overlay renders with `kubectl kustomize` and every object validates against the Kubernetes schemas
/// (offline, kubernetes-models); the production shape holds what operating the bot relies on.
/// </summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => new(RenderedManifests.Overlays);

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task OverlayRendersAndEveryObjectIsSchemaValid(string overlay)
    {
        var rendered = await RenderedManifests.RenderAsync(overlay);

        Assert.True(rendered.Validation.ExitCode == 0, $"k8s/overlays/{overlay} has invalid objects:\n{rendered.Validation.Output}");
        Assert.True(rendered.Objects.Count >= 20, $"only {rendered.Objects.Count} objects rendered");
        Assert.All(rendered.Objects.Where(o => (string?)o["kind"] != "Namespace"),
            o => Assert.Equal("dev2prod-bot", (string?)o["metadata"]!["namespace"]));
    }

    [Fact]
    public async Task TheValidatorRejectsAnObjectThatBreaksTheSchema()
    {
        var result = await RenderedManifests.ValidateAsync("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              replicas: three
              selector: {}
              template:
                spec:
                  containers:
                    - name: api
                      image: x
            ---
            apiVersion: example.com/v1
            kind: Unknown
            metadata:
              name: nothing
            """);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Deployment/broken", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("replicas", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Unknown/nothing", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionDeploymentsAreHardenedProbedAndSized()
    {
        var rendered = await RenderedManifests.RenderAsync("production");

        var api = rendered.Single("Deployment", "api");
        Assert.Equal(3, (int)api["spec"]!["replicas"]!);
        Assert.Equal("RollingUpdate", (string?)api["spec"]!["strategy"]!["type"]);
        Assert.Equal(1, (int)api["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!);
        Assert.Equal(0, (int)api["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
        Assert.Equal(5, (int)rendered.Single("Deployment", "worker")["spec"]!["replicas"]!);

        foreach (var name in new[] { "api", "worker", "admin" })
        {
            var pod = rendered.Single("Deployment", name)["spec"]!["template"]!["spec"]!;
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!, name);
            Assert.True((int)pod["terminationGracePeriodSeconds"]! >= 45, $"{name}: too short to drain");
            var container = pod["containers"]![0]!;
            Assert.StartsWith($"ghcr.io/dev2production/dev2prod-{name}:", (string?)container["image"], StringComparison.Ordinal);
            Assert.Equal("/alive", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
            Assert.Equal("/health", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
            var security = container["securityContext"]!;
            Assert.False((bool)security["allowPrivilegeEscalation"]!, name);
            Assert.True((bool)security["readOnlyRootFilesystem"]!, name);
            Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
            foreach (var kind in new[] { "requests", "limits" })
            {
                Assert.NotNull(container["resources"]![kind]!["cpu"]);
                Assert.NotNull(container["resources"]![kind]!["memory"]);
            }

            Assert.NotNull(rendered.Find("Service", name));
            Assert.NotNull(rendered.Find("PodDisruptionBudget", name));
        }
    }

    [Fact]
    public async Task TheDrainTimeTheServicesGetFitsInTheGracePeriod()
    {
        var rendered = await RenderedManifests.RenderAsync("production");
        var settings = rendered.Single("ConfigMap", "dev2prod-config")["data"]!.AsObject();
        const string variable = "DOTNET_SHUTDOWNTIMEOUTSECONDS";
        Assert.True(settings.ContainsKey(variable), $"{variable} is not set");

        // The host reads DOTNET_-prefixed environment variables without the prefix: this is the value the
        // services' HostOptions get in the pod.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddInMemoryCollection([new(variable["DOTNET_".Length..], (string?)settings[variable])]);
        using var host = builder.Build();
        var drain = host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        Assert.True(drain >= TimeSpan.FromSeconds(30), $"only {drain} to finish in-flight work");

        foreach (var name in new[] { "api", "worker", "admin" })
        {
            var pod = rendered.Single("Deployment", name)["spec"]!["template"]!["spec"]!;
            var preStop = TimeSpan.FromSeconds((int?)pod["containers"]![0]!["lifecycle"]?["preStop"]?["sleep"]?["seconds"] ?? 0);
            var grace = TimeSpan.FromSeconds((int)pod["terminationGracePeriodSeconds"]!);
            Assert.True(preStop + drain < grace, $"{name}: preStop {preStop} + drain {drain} exceed the grace period {grace}; Kubernetes would kill work in flight");
        }
    }

    [Fact]
    public async Task ProductionScalesRoutesAndIsolatesTraffic()
    {
        var rendered = await RenderedManifests.RenderAsync("production");

        var apiScaler = rendered.Single("HorizontalPodAutoscaler", "api")["spec"]!;
        Assert.Equal(3, (int)apiScaler["minReplicas"]!);
        Assert.Equal(10, (int)apiScaler["maxReplicas"]!);
        var targets = apiScaler["metrics"]!.AsArray().ToDictionary(
            m => (string)m!["resource"]!["name"]!, m => (int)m!["resource"]!["target"]!["averageUtilization"]!);
        Assert.Equal(70, targets["cpu"]);
        Assert.Equal(80, targets["memory"]);
        Assert.NotNull(rendered.Find("HorizontalPodAutoscaler", "worker"));

        var routes = rendered.OfKind("Ingress")
            .SelectMany(i => i["spec"]!["rules"]!.AsArray().SelectMany(r => r!["http"]!["paths"]!.AsArray()
                .Select(p => (Host: (string?)r["host"], Path: (string?)p!["path"], Service: (string?)p["backend"]!["service"]!["name"]))))
            .ToList();
        Assert.Contains(("bot.dev2production.tech", "/telegram/webhook", "api"), routes);
        Assert.Contains(("bot.dev2production.tech", "/", "admin"), routes);
        Assert.All(rendered.OfKind("Ingress"), i =>
        {
            Assert.Equal("nginx", (string?)i["spec"]!["ingressClassName"]);
            Assert.NotNull(i["metadata"]!["annotations"]!["cert-manager.io/cluster-issuer"]);
            Assert.NotEmpty(i["spec"]!["tls"]!.AsArray());
        });

        var attachments = rendered.Single("PersistentVolumeClaim", "dev2prod-attachments")["spec"]!;
        Assert.Equal(["ReadWriteMany"], attachments["accessModes"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("50Gi", (string?)attachments["resources"]!["requests"]!["storage"]);

        // Production never applies the empty Secret template: the External Secrets Operator owns the Secret.
        Assert.Null(rendered.Find("Secret", "dev2prod-secrets"));
        Assert.Equal("dev2prod-secrets", (string?)rendered.Single("ExternalSecret", "dev2prod-secrets")["spec"]!["target"]!["name"]);

        var backup = rendered.Single("CronJob", "db-backup");
        Assert.Contains("dbdump.sh", backup["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!.ToJsonString(), StringComparison.Ordinal);

        // Default deny, then only the ingress controller reaches api and admin.
        var denyAll = rendered.Single("NetworkPolicy", "default-deny-ingress")["spec"]!;
        Assert.Empty(denyAll["podSelector"]!.AsObject());
        foreach (var policy in new[] { "api-from-ingress", "admin-from-ingress" })
        {
            var from = rendered.Single("NetworkPolicy", policy)["spec"]!["ingress"]![0]!["from"]![0]!;
            Assert.Equal("ingress-nginx", (string?)from["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
        }
    }

    [Fact]
    public async Task DevOverlayRunsPostgresAndRedisReachableOnlyByTheServices()
    {
        var rendered = await RenderedManifests.RenderAsync("dev");
        var production = await RenderedManifests.RenderAsync("production");

        Assert.Empty(production.OfKind("StatefulSet"));
        var clients = rendered.Single("NetworkPolicy", "data-stores-from-services")["spec"]!["ingress"]![0]!["from"]![0]!["podSelector"]!["matchLabels"]!;
        Assert.Equal("true", (string?)clients["dev2prod.tech/database-client"]);
        foreach (var store in new[] { "postgres", "redis" })
        {
            var labels = rendered.Single("StatefulSet", store)["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            Assert.True(labels.ContainsKey("dev2prod.tech/data-store"), $"{store} is not covered by the data-store policy");
        }

        foreach (var name in new[] { "api", "worker", "admin" })
        {
            var labels = rendered.Single("Deployment", name)["spec"]!["template"]!["metadata"]!["labels"]!;
            Assert.Equal("true", (string?)labels["dev2prod.tech/database-client"]);
        }

        var connection = (string?)rendered.Single("Secret", "dev2prod-secrets")["stringData"]!["ConnectionStrings__botdb"];
        Assert.Contains("Host=postgres", connection, StringComparison.Ordinal);
    }
}
