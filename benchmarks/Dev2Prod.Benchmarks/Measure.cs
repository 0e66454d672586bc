using System.Diagnostics;

namespace Dev2Prod.Benchmarks;

/// <summary>Small helpers shared by the benchmarks: percentiles and process memory.</summary>
internal static class Measure
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = p / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var info = GC.GetGCMemoryInfo();
        return $"working set {Mb(process.WorkingSet64)} (peak {Mb(process.PeakWorkingSet64)}), " +
               $"GC heap {Mb(GC.GetTotalMemory(forceFullCollection: false))} (committed {Mb(info.TotalCommittedBytes)})";
    }

    public static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F0} MB";

    /// <summary>Value of <c>--name value</c> in the arguments, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static bool Flag(string[] args, string name) => args.Contains(name);
}
