using Dev2Prod.Testing;
using Npgsql;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// docs/operations/BACKUP_RESTORE.md's procedure, run for real: k8s/base/backup/dbdump.sh (the script the
/// nightly CronJob runs) dumps the stack's database with pg_dump and restores it with pg_restore into another
/// database; every table then holds as many rows as the original.
/// </summary>
public sealed class BackupRestoreTests(StackFixture stack)
{
    private const string Script = "k8s/base/backup/dbdump.sh";

    [Fact]
    public async Task DumpAndRestoreReproduceEveryTableRowForRow()
    {
        var source = await stack.ConnectionStringAsync(ResourceNames.Database);
        var target = await CreateEmptyDatabaseAsync(source);
        var workDirectory = Directory.CreateTempSubdirectory("dev2prod-backup-").FullName;
        try
        {
            var dumpFile = Path.Combine(workDirectory, "botdb.dump");
            var dump = await Tool.RunAsync("bash", [Script, "dump", dumpFile], environment: new Dictionary<string, string?> { ["DATABASE_CONNECTION_STRING"] = source });
            Assert.True(dump.ExitCode == 0, $"dump failed:\n{dump.Output}");

            var restore = await Tool.RunAsync("bash", [Script, "restore", dumpFile], environment: new Dictionary<string, string?> { ["DATABASE_CONNECTION_STRING"] = target });
            Assert.True(restore.ExitCode == 0, $"restore failed:\n{restore.Output}");

            var before = await RowCountsAsync(source);
            var after = await RowCountsAsync(target);
            Assert.True(before.Values.Sum() > 0, "the source database is empty: the comparison would prove nothing");
            Assert.Contains("faq_entries", before.Keys);
            Assert.Equal(before, after);
        }
        finally
        {
            Directory.Delete(workDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task NightlyBackupWritesATimestampedDumpAndDropsExpiredOnes()
    {
        var source = await stack.ConnectionStringAsync(ResourceNames.Database);
        var backups = Directory.CreateTempSubdirectory("dev2prod-backups-").FullName;
        try
        {
            var expired = Path.Combine(backups, "botdb-20200101T021500Z.dump");
            var recent = Path.Combine(backups, "botdb-recent.dump");
            await File.WriteAllTextAsync(expired, "old", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(recent, "recent", TestContext.Current.CancellationToken);
            File.SetLastWriteTimeUtc(expired, DateTime.UtcNow.AddDays(-20));
            File.SetLastWriteTimeUtc(recent, DateTime.UtcNow.AddDays(-2));

            var result = await Tool.RunAsync("bash", [Script, "backup", backups], environment: new Dictionary<string, string?>
            {
                ["ConnectionStrings__botdb"] = source,
                ["BACKUP_RETENTION_DAYS"] = "14",
            });

            Assert.True(result.ExitCode == 0, $"backup failed:\n{result.Output}");
            Assert.False(File.Exists(expired), "a dump older than the retention was kept");
            Assert.True(File.Exists(recent), "a dump within the retention was deleted");
            var written = Assert.Single(Directory.GetFiles(backups, "botdb-2*.dump"));
            Assert.Matches(@"botdb-\d{8}T\d{6}Z\.dump$", written);
            Assert.True(new FileInfo(written).Length > 1000);
            Assert.Empty(Directory.GetFiles(backups, "*.partial"));
        }
        finally
        {
            Directory.Delete(backups, recursive: true);
        }
    }

    [Fact]
    public async Task WithoutAConnectionStringTheScriptSaysWhatToSet()
    {
        var result = await Tool.RunAsync("bash", [Script, "dump", "/tmp/never.dump"], environment: new Dictionary<string, string?>
        {
            ["DATABASE_CONNECTION_STRING"] = null,
            ["ConnectionStrings__botdb"] = null,
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DATABASE_CONNECTION_STRING", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<string> CreateEmptyDatabaseAsync(string source)
    {
        var name = $"restore_check_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(source))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(source) { Database = name }.ConnectionString;
    }

    private static async Task<SortedDictionary<string, long>> RowCountsAsync(string connectionString)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }

        return counts;
    }
}
