namespace Dev2Prod.Testing;

/// <summary>Finds the repository and the services' build outputs from a running test.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the tests themselves were built in.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    /// <summary>Path of a service's built entry assembly, e.g. <c>Dev2Prod.Api/bin/Debug/net10.0/Dev2Prod.Api.dll</c>.</summary>
    public static string ServiceAssembly(string project)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built ({path}); build the solution first.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dev2Prod.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Dev2Prod.sln not found above " + AppContext.BaseDirectory);
    }
}
