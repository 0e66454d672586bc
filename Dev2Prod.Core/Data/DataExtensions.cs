using Dev2Prod.Core.Configuration;
using Dev2Prod.Core.Observability;
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
        // Times every command into db_query_duration_seconds (resolved per context, the metrics are a singleton).
        builder.Services.ConfigureDbContext<BotDbContext>((services, options) =>
            options.AddInterceptors(services.GetRequiredService<Observability.DbQueryMetricsInterceptor>()));

        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.CountRedisOperations();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Observability.BotMetrics>();
        builder.Services.AddSingleton<Observability.InfrastructureMetrics>();
        builder.Services.AddSingleton<Observability.DbQueryMetricsInterceptor>();
        // Every process that touches user data logs through redaction (see DataTaxonomy).
        builder.AddLogRedaction();
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
