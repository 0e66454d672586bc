using System.Security.Cryptography;
using System.Text;

namespace Dev2Prod.AppHost.BackingServices;

/// <summary>
/// Where the executables mode keeps the Postgres cluster, Redis's append-only file and generated development
/// secrets: <c>BackingServices:DataDirectory</c>, else the git-ignored <c>.data/</c> at the repository root.
/// When the AppHost runs as root, Postgres runs as the <c>postgres</c> OS user, who must be able to reach the
/// folder; a repository under an unreachable home (e.g. /root) falls back to a per-repository folder in /var/tmp.
/// </summary>
internal sealed class LocalDataDirectory
{
    public const string ConfigKey = "BackingServices:DataDirectory";

    private LocalDataDirectory(string root) => Root = root;

    public string Root { get; }

    public static LocalDataDirectory Resolve(string? configured, string repositoryRoot, bool mustBeReachableByOthers)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new LocalDataDirectory(Path.GetFullPath(configured));
        }

        var preferred = Path.Combine(repositoryRoot, ".data");
        if (!mustBeReachableByOthers || IsTraversableByOthers(repositoryRoot))
        {
            return new LocalDataDirectory(preferred);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repositoryRoot)))[..12];
        return new LocalDataDirectory(Path.Combine("/var/tmp", $"dev2prod-{hash}"));
    }

    public string PathFor(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Every ancestor must grant "others" execute (search) permission.</summary>
    private static bool IsTraversableByOthers(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && !dir.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }
}
