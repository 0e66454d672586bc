using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>http_requests_total{method,endpoint,status}</c> and <c>http_request_duration_seconds{method,endpoint}</c>,
/// the names the alert rules and dashboards use. <c>endpoint</c> is the matched route template
/// (<c>/telegram/webhook</c>, <c>/api/faq/{id}</c>), never the raw path, so ids and probing bots cannot explode the
/// number of series; requests no endpoint matched share <see cref="UnmatchedEndpoint"/>.
/// </summary>
public sealed class HttpMetrics
{
    public const string MeterName = "Dev2Prod.Http";

    /// <summary>The <c>endpoint</c> label of requests that matched no route (404s, scanners).</summary>
    public const string UnmatchedEndpoint = "unmatched";

    private static readonly HashSet<string> KnownMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
    };

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public HttpMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        // No unit and no _total on the instrument: the Prometheus exporter appends _total to counters itself.
        _requests = meter.CreateCounter<long>("http_requests", description: "HTTP requests served, by method, route template and status code.");
        _duration = meter.CreateHistogram<double>("http_request_duration_seconds", description: "HTTP request duration, by method and route template.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10] });
    }

    internal void Record(string method, string endpoint, int status, TimeSpan duration)
    {
        // Arbitrary verbs would be another way to grow the label set without bound.
        var methodLabel = KnownMethods.Contains(method) ? method.ToUpperInvariant() : "OTHER";
        _requests.Add(1,
            new KeyValuePair<string, object?>("method", methodLabel),
            new KeyValuePair<string, object?>("endpoint", endpoint),
            new KeyValuePair<string, object?>("status", status.ToString(CultureInfo.InvariantCulture)));
        _duration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("method", methodLabel),
            new KeyValuePair<string, object?>("endpoint", endpoint));
    }

    /// <summary>The label of a request's endpoint: its route template, or <see cref="UnmatchedEndpoint"/>.</summary>
    public static string EndpointLabel(HttpContext context) => context.GetEndpoint() switch
    {
        RouteEndpoint { RoutePattern.RawText: { } template } => template.StartsWith('/') ? template : "/" + template,
        _ => UnmatchedEndpoint,
    };
}

/// <summary>Puts the measuring middleware first in every service's pipeline, so nothing escapes it.</summary>
internal sealed class HttpMetricsStartupFilter(HttpMetrics metrics) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var started = Stopwatch.GetTimestamp();
            var status = StatusCodes.Status500InternalServerError;
            try
            {
                await nextMiddleware(context);
                status = context.Response.StatusCode;
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; 499 as nginx counts it, so it is not mistaken for a server error.
                status = 499;
                throw;
            }
            finally
            {
                // Routing ran inside next(): the endpoint (and its template) is known now.
                metrics.Record(context.Request.Method, HttpMetrics.EndpointLabel(context), status, Stopwatch.GetElapsedTime(started));
            }
        });
        next(app);
    };
}
