namespace Dev2Prod.AppHost.BackingServices;

/// <summary>How Postgres and Redis run in development (config key <c>BackingServices:Mode</c>).</summary>
internal enum BackingServicesMode
{
    /// <summary>Containers when a container engine answers, local executables otherwise.</summary>
    Auto,
    Containers,
    Executables,
}

/// <summary>What the machine offers, probed once at start-up.</summary>
internal sealed record HostCapabilities(bool ContainerEngineAnswers, string? PostgresBinDirectory, string? RedisServerPath)
{
    public bool HasLocalExecutables => PostgresBinDirectory is not null && RedisServerPath is not null;
}

/// <summary>Pure decision logic, separate from probing so it is unit-testable.</summary>
internal static class BackingServicesModeChooser
{
    public const string ConfigKey = "BackingServices:Mode";

    /// <summary>Parses the configured value; blank means <see cref="BackingServicesMode.Auto"/>.</summary>
    public static BackingServicesMode Parse(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return BackingServicesMode.Auto;
        }

        return Enum.TryParse<BackingServicesMode>(configured.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException(
                $"{ConfigKey} is '{configured}'; expected one of: auto, containers, executables.");
    }

    /// <summary>
    /// Picks containers or executables. A forced mode is honoured as long as what it needs exists; otherwise
    /// the error names what to install, so a newcomer is never left with resources that wait forever.
    /// </summary>
    public static BackingServicesMode Choose(BackingServicesMode requested, HostCapabilities host)
    {
        switch (requested)
        {
            case BackingServicesMode.Containers:
                return BackingServicesMode.Containers;
            case BackingServicesMode.Executables when host.HasLocalExecutables:
                return BackingServicesMode.Executables;
            case BackingServicesMode.Executables:
                throw new InvalidOperationException(
                    $"{ConfigKey} is 'executables' but {MissingExecutables(host)}.");
            case BackingServicesMode.Auto when host.ContainerEngineAnswers:
                return BackingServicesMode.Containers;
            case BackingServicesMode.Auto when host.HasLocalExecutables:
                return BackingServicesMode.Executables;
            default:
                throw new InvalidOperationException(
                    $"No container engine answered (docker/podman) and {MissingExecutables(host)}. " +
                    "Start Docker, or install the local servers (Debian/Ubuntu: sudo apt-get install -y postgresql redis-server), " +
                    "or run ./run.sh which installs them.");
        }
    }

    private static string MissingExecutables(HostCapabilities host)
    {
        var missing = new List<string>();
        if (host.PostgresBinDirectory is null)
        {
            missing.Add("PostgreSQL server binaries (initdb, postgres in /usr/lib/postgresql/<version>/bin) were not found");
        }

        if (host.RedisServerPath is null)
        {
            missing.Add("redis-server was not found on PATH");
        }

        return string.Join(" and ", missing);
    }
}
