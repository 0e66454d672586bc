using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dev2Prod.Core.Features.Llm;

/// <summary>
/// Metrics and the trace source of the LLM answers. Same convention as <c>BotMetrics</c>: instrument names are
/// the Prometheus names without <c>_total</c> and without a unit suffix; the unit is set on the instrument, and
/// the integration test that scrapes /metrics is the contract for the emitted names.
/// </summary>
public sealed class LlmMetrics
{
    public const string MeterName = "Dev2Prod.Llm";

    /// <summary>Spans of the Worker's model calls; their parent is the webhook's update span (via the job's traceparent).</summary>
    public static readonly ActivitySource ActivitySource = new("Dev2Prod.Llm");

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _responseTime;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _deadLetters;
    private long _dailyCostMicros;
    private long _dailyBudgetMicros;

    public LlmMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("llm_requests", unit: "{request}",
            description: "Model calls and rejections by model and status (success, error, timeout, rejected_quota, rejected_budget).");
        _responseTime = meter.CreateHistogram<double>("llm_response_time", unit: "s", description: "Model call duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 30] });
        _tokens = meter.CreateCounter<long>("llm_tokens_used", unit: "{token}", description: "Tokens used (input and output) by model.");
        meter.CreateObservableGauge("llm_daily_cost_usd", () => Interlocked.Read(ref _dailyCostMicros) / 1_000_000d,
            description: "Spend of the current budget day in USD (reservations included).");
        meter.CreateObservableGauge("llm_daily_budget_usd", () => Interlocked.Read(ref _dailyBudgetMicros) / 1_000_000d,
            description: "The daily budget in force in USD (configuration or the run-time override).");
        _deadLetters = meter.CreateCounter<long>("llm_dead_letter", unit: "{job}", description: "Jobs moved to the dead-letter stream.");
    }

    public void Request(string model, string status) =>
        _requests.Add(1, new("model", model), new("status", status));

    public void ResponseTime(string model, TimeSpan duration) =>
        _responseTime.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("model", model));

    public void Tokens(string model, long count)
    {
        if (count > 0)
        {
            _tokens.Add(count, new KeyValuePair<string, object?>("model", model));
        }
    }

    public void DailyCost(decimal usd) => Interlocked.Exchange(ref _dailyCostMicros, (long)(usd * 1_000_000m));

    public void DailyBudget(decimal usd) => Interlocked.Exchange(ref _dailyBudgetMicros, (long)(usd * 1_000_000m));

    public void DeadLettered(string reason) => _deadLetters.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
