using System.Text.Json.Nodes;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// The single-host docker-compose.yml lints clean with dclint, its Prometheus configuration passes promtool,
/// and the GitHub workflows validate against the Actions schema (action-validator), all offline.
/// </summary>
public sealed class ComposeAndWorkflowTests
{
    [Fact]
    public async Task DockerComposeFileHasNoLintErrors()
    {
        var result = await Tool.RunAsync(Tool.NodeBin("dclint"), ["docker-compose.yml", "--formatter", "json"]);

        Assert.True(result.ExitCode == 0, $"dclint docker-compose.yml:\n{result.Output}");
        var messages = JsonNode.Parse(result.Stdout)!.AsArray().SelectMany(file => file!["messages"]!.AsArray()).ToList();
        Assert.DoesNotContain(messages, m => (string?)m!["type"] == "error");
    }

    [Fact]
    public async Task DclintCatchesAnUnsafeComposeFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"compose-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, "services:\n  web:\n    image: nginx\n    ports:\n      - 80:80\n", TestContext.Current.CancellationToken);
        try
        {
            var result = await Tool.RunAsync(Tool.NodeBin("dclint"), [path]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("no-unbound-port-interfaces", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ComposeRunsEveryServiceOfTheStackWithTheSdkBuiltImages()
    {
        var compose = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, "docker-compose.yml"), TestContext.Current.CancellationToken);

        foreach (var service in new[] { "postgres", "redis", "api", "worker", "admin", "prometheus", "grafana", "caddy" })
        {
            Assert.Contains($"\n  {service}:\n", compose, StringComparison.Ordinal);
        }

        foreach (var image in new[] { "dev2prod-api", "dev2prod-worker", "dev2prod-admin" })
        {
            Assert.Contains($"image: ghcr.io/dev2production/{image}:", compose, StringComparison.Ordinal);
        }

        var promtool = await Tool.RunAsync("promtool", ["check", "config", "monitoring/prometheus-compose.yml"]);
        Assert.True(promtool.ExitCode == 0, $"promtool check config monitoring/prometheus-compose.yml:\n{promtool.Output}");
    }

    [Fact]
    public async Task WorkflowsValidateAgainstTheActionsSchema()
    {
        var workflows = Directory.GetFiles(Path.Combine(RepositoryLayout.Root, ".github", "workflows"), "*.yml").Order().ToList();
        Assert.Equal(["ci.yml", "deploy.yml"], workflows.Select(Path.GetFileName));

        foreach (var workflow in workflows)
        {
            var result = await Tool.RunAsync(Tool.NodeBin("action-validator"), [workflow]);
            Assert.True(result.ExitCode == 0, $"{Path.GetFileName(workflow)} is not a valid workflow:\n{result.Output}");
        }
    }

    [Fact]
    public async Task TheWorkflowValidatorRejectsAMalformedWorkflow()
    {
        var path = Path.Combine(Path.GetTempPath(), $"workflow-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, "name: x\non: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    stepz:\n      - run: echo\n", TestContext.Current.CancellationToken);
        try
        {
            var result = await Tool.RunAsync(Tool.NodeBin("action-validator"), [path]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("stepz", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
