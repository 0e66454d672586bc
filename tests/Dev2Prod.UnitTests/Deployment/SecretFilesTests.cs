using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dev2Prod.UnitTests.Deployment;

/// <summary>
/// Secrets mounted as files the way the kubelet mounts a Kubernetes Secret (files are symlinks into a
/// "..data" directory that is swapped atomically on update) become configuration, win over environment
/// variables, and a rotated value reaches IOptionsMonitor without a restart.
/// </summary>
public sealed class SecretFilesTests : IDisposable
{
    private readonly DirectoryInfo _mount = Directory.CreateTempSubdirectory("dev2prod-secrets-");

    [Fact]
    public void EachFileIsASettingNamedAfterItsKey()
    {
        WriteLikeKubelet("..2026_11_26_01", new() { ["Llm__ApiKey"] = "key-1", ["ConnectionStrings__botdb"] = "Host=db" });

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Llm:ApiKey"] = "from-environment" })
            .AddSecretFiles(_mount.FullName)
            .Build();

        Assert.Equal("key-1", configuration["Llm:ApiKey"]);
        Assert.Equal("Host=db", configuration.GetConnectionString("botdb"));
        // The kubelet's own entries are not settings.
        Assert.DoesNotContain(configuration.AsEnumerable(), pair => pair.Key.StartsWith("..", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARotatedSecretReachesOptionsMonitorWithoutARestart()
    {
        WriteLikeKubelet("..2026_11_26_01", new() { ["Llm__ApiKey"] = "old-key" });
        var configuration = new ConfigurationBuilder().AddSecretFiles(_mount.FullName).Build();
        using var services = new ServiceCollection().Configure<LlmKey>(configuration.GetSection("Llm")).BuildServiceProvider();
        var monitor = services.GetRequiredService<IOptionsMonitor<LlmKey>>();
        Assert.Equal("old-key", monitor.CurrentValue.ApiKey);
        var changed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = monitor.OnChange(options => changed.TrySetResult(options.ApiKey));

        WriteLikeKubelet("..2026_11_26_02", new() { ["Llm__ApiKey"] = "new-key" });

        // Polling notices within seconds; the bound only keeps a broken reload from hanging the run.
        Assert.Equal("new-key", await changed.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.Equal("new-key", monitor.CurrentValue.ApiKey);
    }

    [Fact]
    public void AMissingDirectoryAddsNothing()
    {
        var configuration = new ConfigurationBuilder()
            .AddSecretFiles(Path.Combine(_mount.FullName, "not-mounted"))
            .Build();

        Assert.Empty(configuration.AsEnumerable());
    }

    public void Dispose() => _mount.Delete(recursive: true);

    /// <summary>What the kubelet's atomic writer does: a new timestamped folder, "..data" re-pointed in one rename.</summary>
    private void WriteLikeKubelet(string version, Dictionary<string, string> files)
    {
        var versionDirectory = Directory.CreateDirectory(Path.Combine(_mount.FullName, version));
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(versionDirectory.FullName, name), content);
        }

        var temporaryLink = Path.Combine(_mount.FullName, "..data_tmp");
        File.CreateSymbolicLink(temporaryLink, version);
        // rename(2) over the old link, as the kubelet does (File.Move refuses links to directories).
        using (var rename = System.Diagnostics.Process.Start("mv", ["-T", temporaryLink, Path.Combine(_mount.FullName, "..data")]))
        {
            rename.WaitForExit();
            Assert.Equal(0, rename.ExitCode);
        }

        foreach (var name in files.Keys)
        {
            var link = Path.Combine(_mount.FullName, name);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", name));
            }
        }
    }

    private sealed class LlmKey
    {
        public string? ApiKey { get; set; }
    }
}
