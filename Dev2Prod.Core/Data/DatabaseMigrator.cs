using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dev2Prod.Core.Data;

/// <summary>
/// Brings the database to the latest migration at start-up. Every service runs it (each can be started alone
/// against an empty database), so it is safe when several processes start at once: the database is created
/// if missing (tolerating a concurrent create), and migrations run under a Postgres advisory lock.
/// See docs/decisions/001-migrations-at-start-up.md.
/// </summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopeFactory, ILogger<DatabaseMigrator> logger)
{
    // Any constant shared by all processes; "D2P" + "MIGR" in ASCII so it is recognisable in pg_locks.
    private const long AdvisoryLockKey = 0x4432_504D_4947_52;

    /// <summary>Runs pending migrations, then <paramref name="seed"/> (still under the lock, so seeding is race-free).</summary>
    public async Task MigrateAsync(Func<BotDbContext, CancellationToken, Task>? seed = null, CancellationToken cancellationToken = default)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var connectionString = db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("ConnectionStrings:botdb is not set.");

        await EnsureDatabaseExistsAsync(connectionString, cancellationToken);

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", AdvisoryLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            // On a new database EF reads the history table before creating it and logs that failure as an error
            // (dotnet/efcore#37328); creating it first keeps the logs free of errors that are not errors.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);

            // A no-op when nothing is pending; EF logs each migration it applies.
            await db.Database.MigrateAsync(cancellationToken);

            if (seed is not null)
            {
                await seed(db, cancellationToken);
            }
        }
        finally
        {
            // Closing the session releases the lock too; unlocking explicitly keeps a pooled connection clean.
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = new NpgsqlConnection(connectionString);
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // Database missing: create it below (development and the executables mode start with an empty server).
        }

        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var databaseName = target.Database ?? throw new InvalidOperationException("ConnectionStrings:botdb names no database.");
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            // Identifiers cannot be parameters; quote it as an identifier.
            var quoted = "\"" + databaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created database {Database}", databaseName);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another process created it first.
        }
    }
}
