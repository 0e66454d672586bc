using Dev2Prod.AppHost.BackingServices;

namespace Dev2Prod.UnitTests.Foundation;

public sealed class BackingServicesModeTests
{
    private static readonly HostCapabilities DockerOnly = new(ContainerEngineAnswers: true, PostgresBinDirectory: null, RedisServerPath: null);
    private static readonly HostCapabilities ExecutablesOnly = new(false, "/usr/lib/postgresql/15/bin", "/usr/bin/redis-server");
    private static readonly HostCapabilities Both = new(true, "/usr/lib/postgresql/15/bin", "/usr/bin/redis-server");
    private static readonly HostCapabilities Nothing = new(false, null, null);
    private static readonly HostCapabilities PostgresOnly = new(false, "/usr/lib/postgresql/15/bin", null);

    [Theory]
    [InlineData(null, "Auto")]
    [InlineData("", "Auto")]
    [InlineData("auto", "Auto")]
    [InlineData("Containers", "Containers")]
    [InlineData(" executables ", "Executables")]
    public void ConfiguredModeIsParsedCaseInsensitively(string? configured, string expected) =>
        Assert.Equal(expected, BackingServicesModeChooser.Parse(configured).ToString());

    [Theory]
    [InlineData("docker")]
    [InlineData("3")]
    public void UnknownModeIsRejectedNamingTheKeyAndTheChoices(string configured)
    {
        var error = Assert.Throws<InvalidOperationException>(() => BackingServicesModeChooser.Parse(configured));

        Assert.Contains("BackingServices:Mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("auto, containers, executables", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoPrefersContainersWhenTheEngineAnswers() =>
        Assert.Equal(BackingServicesMode.Containers, BackingServicesModeChooser.Choose(BackingServicesMode.Auto, Both));

    [Fact]
    public void AutoFallsBackToExecutablesWithoutAContainerEngine() =>
        Assert.Equal(BackingServicesMode.Executables, BackingServicesModeChooser.Choose(BackingServicesMode.Auto, ExecutablesOnly));

    [Fact]
    public void ForcedExecutablesWinOverAnAnsweringEngine() =>
        Assert.Equal(BackingServicesMode.Executables, BackingServicesModeChooser.Choose(BackingServicesMode.Executables, Both));

    [Fact]
    public void ForcedContainersAreHonoured() =>
        Assert.Equal(BackingServicesMode.Containers, BackingServicesModeChooser.Choose(BackingServicesMode.Containers, ExecutablesOnly));

    [Fact]
    public void AutoWithNothingInstalledFailsNamingWhatToInstall()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BackingServicesModeChooser.Choose(BackingServicesMode.Auto, Nothing));

        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
        Assert.Contains("redis-server", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForcedExecutablesWithoutRedisFailsNamingOnlyRedis()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BackingServicesModeChooser.Choose(BackingServicesMode.Executables, PostgresOnly));

        Assert.Contains("redis-server", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PostgreSQL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForcedExecutablesOnADockerOnlyMachineFails() =>
        Assert.Throws<InvalidOperationException>(() => BackingServicesModeChooser.Choose(BackingServicesMode.Executables, DockerOnly));
}
