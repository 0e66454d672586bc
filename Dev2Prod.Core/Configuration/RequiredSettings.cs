using Microsoft.Extensions.Configuration;

namespace Dev2Prod.Core.Configuration;

/// <summary>Fails start-up with the names of missing configuration keys, instead of a null reference later.</summary>
public static class RequiredSettings
{
    /// <summary>Throws <see cref="MissingSettingsException"/> naming every key that is missing or blank.</summary>
    public static void EnsurePresent(IConfiguration configuration, params string[] keys)
    {
        var missing = keys.Where(key => string.IsNullOrWhiteSpace(configuration[key])).ToList();
        if (missing.Count > 0)
        {
            throw new MissingSettingsException(missing);
        }
    }
}

/// <summary>One or more required configuration keys are missing.</summary>
public sealed class MissingSettingsException(IReadOnlyList<string> keys)
    : Exception($"Missing required configuration: {string.Join(", ", keys)}. Set them in appsettings, environment variables " +
                $"(use '__' for ':', e.g. {keys[0].Replace(":", "__", StringComparison.Ordinal)}) or user secrets.")
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
