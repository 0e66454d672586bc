using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting defaults every Dev2Prod service shares: OpenTelemetry (OTLP to the Aspire dashboard when
/// configured, Prometheus scraping always), health checks, service discovery and HttpClient resilience.
/// </summary>
public static class Extensions
{
    /// <summary>Tag of the checks that make up liveness (<c>/alive</c>): only "the process runs".</summary>
    public const string LiveTag = "live";

    /// <summary>Meter and ActivitySource name prefix of the product's own instruments.</summary>
    public const string TelemetryPrefix = "Dev2Prod";

    /// <summary>Adds telemetry, health checks, service discovery and resilient HttpClients.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.AddSecretFiles(builder.Configuration[SecretFiles.DirectoryVariable]);
        builder.ConfigureOpenTelemetry();
        builder.AddHttpMetrics();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Logs, traces and metrics through OpenTelemetry; the product's own meters and sources included.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter($"{TelemetryPrefix}.*")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource($"{TelemetryPrefix}.*")
                .AddAspNetCoreInstrumentation(o =>
                    // Probes and scrapes would drown the real traces.
                    o.Filter = context => !IsInfrastructurePath(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>http_requests_total</c> / <c>http_request_duration_seconds</c> for every request (probes and scrapes
    /// included: a failing readiness probe is a real 5xx), labelled by route template.
    /// </summary>
    public static TBuilder AddHttpMetrics<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<HttpMetrics>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, HttpMetricsStartupFilter>();
        return builder;
    }

    /// <summary>Registers the liveness check; readiness checks (Postgres, Redis) come from the data registrations.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (readiness: every check, Postgres and Redis included), <c>/alive</c> (liveness) and
    /// <c>/metrics</c> (Prometheus). Mapped in every environment because Kubernetes probes and Prometheus need
    /// them in production; they reveal no data beyond healthy/unhealthy.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}
