using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Secrets mounted as files, one per configuration key (<c>Llm__ApiKey</c> is <c>Llm:ApiKey</c>), as Kubernetes
/// mounts a Secret. They are re-read when the files change, so a rotated key reaches everything that reads its
/// options through <c>IOptionsMonitor</c> without a restart. Added last, so a file wins over an environment
/// variable of the same key.
/// </summary>
public static class SecretFiles
{
    /// <summary>Environment variable / configuration key naming the directory.</summary>
    public const string DirectoryVariable = "SECRETS_DIRECTORY";

    /// <summary>Where the Kubernetes manifests mount the Secret.</summary>
    public const string DefaultDirectory = "/var/run/secrets/dev2prod";

    /// <summary>Adds the directory's files as configuration; nothing when the directory does not exist.</summary>
    public static IConfigurationBuilder AddSecretFiles(this IConfigurationBuilder configuration, string? directory)
    {
        var path = string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory;
        if (!Directory.Exists(path))
        {
            return configuration;
        }

        return configuration.AddKeyPerFile(source =>
        {
            // Polling: the kubelet swaps a "..data" symlink rather than writing the files, which file-system
            // events on the files themselves do not always report.
            source.FileProvider = new PhysicalFileProvider(Path.GetFullPath(path))
            {
                UsePollingFileWatcher = true,
                UseActivePolling = true,
            };
            source.Optional = true;
            source.ReloadOnChange = true;
            // The kubelet's bookkeeping entries ("..data", "..2026_01_01_...") are not settings.
            source.IgnoreCondition = name => name.StartsWith("..", StringComparison.Ordinal) || name.StartsWith("ignore.", StringComparison.Ordinal);
        });
    }
}
