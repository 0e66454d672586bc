using System.Text.Json.Nodes;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// The images the SDK builds (dotnet publish /t:PublishContainer) are the images the manifests run: same
/// repository, the non-root user the pods require, the port the probes and Services use.
/// </summary>
public sealed class ContainerImageSettingsTests
{
    public static TheoryData<string, string> Services => new() { { "Dev2Prod.Api", "api" }, { "Dev2Prod.Worker", "worker" }, { "Dev2Prod.Admin", "admin" } };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task ProjectContainerSettingsMatchTheDeployment(string project, string deploymentName)
    {
        var msbuild = await Tool.RunAsync(
            "dotnet",
            ["msbuild", $"{project}/{project}.csproj", "-getProperty:ContainerRepository", "-getProperty:ContainerBaseImage",
             "-getProperty:ContainerUser", "-getItem:ContainerPort", "-getItem:ContainerLabel"]);
        Assert.True(msbuild.ExitCode == 0, msbuild.Output);
        var evaluation = JsonNode.Parse(msbuild.Stdout)!;
        var properties = evaluation["Properties"]!;
        var rendered = await RenderedManifests.RenderAsync("production");
        var pod = rendered.Single("Deployment", deploymentName)["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;

        var repository = (string)properties["ContainerRepository"]!;
        Assert.Equal($"dev2prod-{deploymentName}", repository);
        Assert.StartsWith($"ghcr.io/dev2production/{repository}:", (string?)container["image"], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", (string?)properties["ContainerBaseImage"], StringComparison.Ordinal);

        var user = int.Parse((string)properties["ContainerUser"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, user);
        Assert.Equal(user, (int)pod["securityContext"]!["runAsUser"]!);

        var port = (string?)evaluation["Items"]!["ContainerPort"]![0]!["Identity"];
        Assert.Equal(port, ((int)container["ports"]![0]!["containerPort"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var labels = evaluation["Items"]!["ContainerLabel"]!.AsArray().Select(l => (string?)l!["Identity"]).ToList();
        Assert.Contains("org.opencontainers.image.source", labels);
    }
}
