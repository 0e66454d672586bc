using System.Security.Cryptography;

namespace Dev2Prod.AppHost.BackingServices;

/// <summary>
/// Secrets the AppHost generates for local development (webhook secret, admin API key, initial admin password,
/// local Postgres password). Each is created once and kept in the git-ignored data folder (mode 0600), so the
/// admin password seeded into the database on the first run still works on the next one.
/// </summary>
internal sealed class DevelopmentSecrets(string directory)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public string GetOrCreate(string name, int length = 24)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        // Letters and digits only: valid as a Telegram secret token, in a connection string and on a command line.
        var value = RandomNumberGenerator.GetString(Alphabet, length);
        File.WriteAllText(path, value);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return value;
    }
}
