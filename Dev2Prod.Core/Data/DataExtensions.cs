using Dev2Prod.Core.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dev2Prod.Core.Data;

public static class DataExtensions
{
    /// <summary>
    /// Registers the database (<c>ConnectionStrings:botdb</c>) and Redis (<c>ConnectionStrings:redis</c>) with
    /// their health checks, tracing and the start-up migrator. Both keys are required: a missing one fails
    /// start-up with its name.
    /// </summary>
    public static IHostApplicationBuilder AddDev2ProdData(this IHostApplicationBuilder builder)
    {
        RequiredSettings.EnsurePresent(builder.Configuration,
            $"ConnectionStrings:{ResourceNames.Database}",
            $"ConnectionStrings:{ResourceNames.Redis}");

        builder.AddNpgsqlDbContext<BotDbContext>(ResourceNames.Database,
            settings =>
            {
                // Retrying execution strategies forbid the explicit transactions the inbox/outbox rely on;
                // transient failures surface to the caller instead (the webhook answers 503, jobs are retried).
                settings.DisableRetry = true;
            },
            options => options.UseSnakeCaseNamingConvention());

        builder.AddRedisClient(ResourceNames.Redis);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Observability.BotMetrics>();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddSingleton<Features.Conversations.ConversationEvents>();
        return builder;
    }
}

public static class DatabaseMigrationHostExtensions
{
    /// <summary>Applies pending migrations (and an optional seed) before the host starts serving.</summary>
    public static Task MigrateDatabaseAsync(this IHost host, Func<BotDbContext, CancellationToken, Task>? seed = null,
        CancellationToken cancellationToken = default) =>
        host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(seed, cancellationToken);
}
