using System.Diagnostics.Metrics;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// Handoff metrics, named as <see cref="Observability.BotMetrics"/> names its own (the scraped name without the
/// <c>_total</c> the exporter adds to counters): <c>conversations_escalated_total{reason}</c>,
/// <c>handoff_time_to_claim_seconds</c>, <c>handoff_time_to_first_agent_response_seconds</c>,
/// <c>csat_ratings_total{rating}</c>.
/// </summary>
public sealed class HandoffMetrics
{
    public const string MeterName = "Dev2Prod.Handoff";

    // Minutes to hours: a claim within seconds is as interesting as one after a night.
    private static readonly double[] WaitBuckets = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400];

    private readonly Counter<long> _escalated;
    private readonly Counter<long> _csat;
    private readonly Histogram<double> _timeToClaim;
    private readonly Histogram<double> _timeToFirstResponse;

    public HandoffMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _escalated = meter.CreateCounter<long>("conversations_escalated", description: "Conversations handed to the agents' group, by reason.");
        _csat = meter.CreateCounter<long>("csat_ratings", description: "Satisfaction ratings (1-5) given after an agent closed a conversation.");
        _timeToClaim = meter.CreateHistogram<double>("handoff_time_to_claim_seconds", description: "From escalation to an agent claiming the conversation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        _timeToFirstResponse = meter.CreateHistogram<double>("handoff_time_to_first_agent_response_seconds",
            description: "From escalation to the first agent message the user receives.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
    }

    public void Escalated(string reason) => _escalated.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Claimed(TimeSpan waited) => _timeToClaim.Record(Math.Max(0, waited.TotalSeconds));

    public void FirstAgentResponse(TimeSpan waited) => _timeToFirstResponse.Record(Math.Max(0, waited.TotalSeconds));

    public void CsatRated(int rating) => _csat.Add(1, new KeyValuePair<string, object?>("rating", rating.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
