using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace Dev2Prod.AppHost.BackingServices;

/// <summary>
/// A backing service as the projects see it: what to reference (its connection string) and what to wait for
/// (the server, healthy). In container mode they are the same resource; in executables mode the database's
/// connection string is a separate resource over the Postgres process.
/// </summary>
internal sealed record BackingService(
    IResourceBuilder<IResourceWithConnectionString> Connection,
    IResourceBuilder<IResource> Server);

internal static class BackingServicesExtensions
{
    private const string PostgresUser = "postgres";

    /// <summary>
    /// Adds Postgres (database <c>botdb</c>) and Redis: containers where a container engine answers, local
    /// executables otherwise (<c>BackingServices:Mode</c> = auto | containers | executables). The projects get
    /// the same <c>ConnectionStrings__botdb</c> / <c>ConnectionStrings__redis</c> either way.
    /// </summary>
    public static (BackingService Database, BackingService Redis) AddBackingServices(this IDistributedApplicationBuilder builder)
    {
        var requested = BackingServicesModeChooser.Parse(builder.Configuration[BackingServicesModeChooser.ConfigKey]);

        // Publishing (the manifest the Kubernetes check reads) describes the deployable shape: containers.
        if (builder.ExecutionContext.IsPublishMode || requested == BackingServicesMode.Containers)
        {
            return builder.AddContainers();
        }

        var mode = BackingServicesModeChooser.Choose(requested, HostProbe.Probe(requested));
        return mode == BackingServicesMode.Containers ? builder.AddContainers() : builder.AddExecutables();
    }

    private static (BackingService, BackingService) AddContainers(this IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(ResourceNames.Postgres).WithDataVolume();
        var database = postgres.AddDatabase(ResourceNames.Database);
        var redis = builder.AddRedis(ResourceNames.Redis).WithDataVolume().WithPersistence();
        return (new BackingService(database, database), new BackingService(redis, redis));
    }

    private static (BackingService, BackingService) AddExecutables(this IDistributedApplicationBuilder builder)
    {
        var runAsPostgresUser = Environment.IsPrivilegedProcess;
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var data = LocalDataDirectory.Resolve(builder.Configuration[LocalDataDirectory.ConfigKey], repositoryRoot, runAsPostgresUser);
        var secrets = new DevelopmentSecrets(data.PathFor("secrets"));
        var binDirectory = HostProbe.FindPostgresBinDirectory()!;

        // --- Postgres: initdb on first start, then the server, all as the postgres OS user when we are root.
        var postgresPassword = secrets.GetOrCreate("postgres-password");
        var clusterDirectory = Path.Combine(data.Root, "postgres");
        var passwordFile = Path.Combine(data.Root, "postgres-pwfile");
        File.WriteAllText(passwordFile, postgresPassword);
        if (runAsPostgresUser && !OperatingSystem.IsWindows())
        {
            PrepareForPostgresUser(data.Root, passwordFile);
        }

        var postgresCommand = runAsPostgresUser ? "setpriv" : "bash";
        string[] postgresArgs = runAsPostgresUser
            ? ["--reuid=" + PostgresUser, "--regid=" + PostgresUser, "--init-groups", "--", "bash", "-c", PostgresScript]
            : ["-c", PostgresScript];

        var postgres = builder.AddExecutable(ResourceNames.Postgres, postgresCommand, data.Root, postgresArgs)
            .WithEnvironment("PG_BIN", binDirectory)
            .WithEnvironment("PGDATA", clusterDirectory)
            .WithEnvironment("PG_PWFILE", passwordFile)
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT");

        var endpoint = postgres.GetEndpoint("tcp");
        var database = builder.AddConnectionString(ResourceNames.Database, ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={PostgresUser};Password={postgresPassword};Database={ResourceNames.Database}"));

        var postgresHealthCheck = $"{ResourceNames.Postgres}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(postgresHealthCheck, async cancellationToken =>
        {
            // The maintenance database exists as soon as initdb has run; botdb is created by the services' migrator.
            var connectionString = await database.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false, Timeout = 3 };
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        });
        postgres.WithHealthCheck(postgresHealthCheck);

        // --- Redis: append-only persistence in the data folder.
        var redisDirectory = data.PathFor("redis");
        var redis = builder.AddResource(new LocalRedisResource(ResourceNames.Redis, "bash", redisDirectory))
            .WithArgs("-c", "exec redis-server --port \"$REDIS_PORT\" --bind 127.0.0.1 --protected-mode no --appendonly yes --save '' --dir \"$REDIS_DIR\"")
            .WithEnvironment("REDIS_DIR", redisDirectory)
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp", env: "REDIS_PORT");

        var redisHealthCheck = $"{ResourceNames.Redis}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(redisHealthCheck, async cancellationToken =>
        {
            var connectionString = await redis.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"{connectionString},abortConnect=true,connectTimeout=3000");
            await connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        });
        redis.WithHealthCheck(redisHealthCheck);

        return (new BackingService(database, postgres), new BackingService(redis, redis));
    }

    /// <summary>
    /// initdb once (password auth, no Unix socket), then postgres on 127.0.0.1:$PGPORT. A TERM from the
    /// orchestrator becomes Postgres's fast shutdown, so a stop never waits for idle client connections.
    /// </summary>
    private const string PostgresScript = """
        set -e
        if [ ! -s "$PGDATA/PG_VERSION" ]; then
          "$PG_BIN/initdb" -D "$PGDATA" -U postgres --pwfile="$PG_PWFILE" --auth=scram-sha-256 --encoding=UTF8 --no-locale >/dev/null
        fi
        "$PG_BIN/postgres" -D "$PGDATA" -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c port="$PGPORT" &
        pid=$!
        trap 'kill -INT "$pid" 2>/dev/null' TERM INT
        wait "$pid" || true
        wait "$pid" 2>/dev/null || true
        """;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void PrepareForPostgresUser(string dataRoot, string passwordFile)
    {
        // The data root itself stays root-owned (it also holds the generated secrets, which are 0600); Postgres
        // only needs to traverse it and own its cluster folder.
        Directory.CreateDirectory(dataRoot);
        File.SetUnixFileMode(dataRoot, File.GetUnixFileMode(dataRoot) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        var cluster = Path.Combine(dataRoot, "postgres");
        Directory.CreateDirectory(cluster);
        Chown(cluster);
        Chown(passwordFile);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static void Chown(string path)
    {
        using var process = System.Diagnostics.Process.Start("chown", ["-R", $"{PostgresUser}:{PostgresUser}", path]);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not hand {path} to the '{PostgresUser}' OS user (chown exit code {process.ExitCode}).");
        }
    }
}

/// <summary>A local <c>redis-server</c> process that exposes the same connection string as the Redis container.</summary>
internal sealed class LocalRedisResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}");
}
