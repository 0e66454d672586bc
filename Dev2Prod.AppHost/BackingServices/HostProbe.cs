using System.Diagnostics;

namespace Dev2Prod.AppHost.BackingServices;

/// <summary>Looks at the machine: is a container engine answering, and where are the local servers.</summary>
internal static class HostProbe
{
    public static HostCapabilities Probe(BackingServicesMode requested) => new(
        // Only ask the container engine when its answer matters: 'docker info' can take seconds.
        ContainerEngineAnswers: requested == BackingServicesMode.Auto && ContainerEngineAnswers(),
        PostgresBinDirectory: FindPostgresBinDirectory(),
        RedisServerPath: FindOnPath("redis-server"));

    /// <summary>True when <c>docker info</c> (or <c>podman info</c>) succeeds within a few seconds.</summary>
    public static bool ContainerEngineAnswers()
    {
        foreach (var engine in new[] { "docker", "podman" })
        {
            if (FindOnPath(engine) is not { } path)
            {
                continue;
            }

            try
            {
                using var process = Process.Start(new ProcessStartInfo(path, "info")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (process is null)
                {
                    continue;
                }

                // Drain output so a chatty engine cannot block on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                if (process.WaitForExit(TimeSpan.FromSeconds(5)) && process.ExitCode == 0)
                {
                    return true;
                }

                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // Not runnable: treat as absent.
            }
        }

        return false;
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> holding initdb and postgres, else their folder on PATH.</summary>
    public static string? FindPostgresBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(x => x.version > 0 && HasServerBinaries(Path.Combine(x.dir, "bin")))
                .OrderByDescending(x => x.version)
                .Select(x => Path.Combine(x.dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return FindOnPath("initdb") is { } initdb && Path.GetDirectoryName(ResolveLinks(initdb)) is { } dir && HasServerBinaries(dir)
            ? dir
            : null;
    }

    public static string? FindOnPath(string executable)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);
    }

    private static bool HasServerBinaries(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres"));

    private static string ResolveLinks(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}
