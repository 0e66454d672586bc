using System.Diagnostics.Metrics;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// The product's own metrics. Instrument names are the Prometheus names without the <c>_total</c> suffix the
/// exporter adds to counters, and carry no unit (a unit would add a suffix), so what Prometheus scrapes is
/// exactly the name the alert rules and dashboards use (monitoring/).
/// </summary>
public sealed class BotMetrics
{
    public const string MeterName = "Dev2Prod.Bot";

    private readonly Counter<long> _messagesProcessed;
    private readonly Counter<long> _conversationsStarted;
    private readonly Counter<long> _rateLimitExceeded;
    private readonly Counter<long> _webhookRejected;
    private readonly Counter<long> _telegramApiErrors;
    private readonly Counter<long> _leadsCreated;
    private readonly Histogram<double> _telegramApiDuration;
    private long _outboxPending;

    public BotMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesProcessed = meter.CreateCounter<long>("messages_processed", description: "Messages handled, by who sent them (user, bot, llm, agent).");
        _conversationsStarted = meter.CreateCounter<long>("conversations_started", description: "Conversations opened.");
        _rateLimitExceeded = meter.CreateCounter<long>("rate_limit_exceeded", description: "Messages over a per-user limit.");
        _webhookRejected = meter.CreateCounter<long>("telegram_webhook_rejected", description: "Webhook requests refused (unauthorized, malformed, unavailable).");
        _telegramApiErrors = meter.CreateCounter<long>("telegram_api_errors", description: "Failed Bot API calls by method and error code (429 = throttled).");
        _leadsCreated = meter.CreateCounter<long>("leads_created", description: "Leads created by the intake, by score band (hot, warm, cold).");
        _telegramApiDuration = meter.CreateHistogram<double>("telegram_api_duration_seconds", description: "Bot API call duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10] });
        meter.CreateObservableGauge("telegram_outbox_pending", () => Interlocked.Read(ref _outboxPending),
            description: "Outbox messages waiting to be sent.");
    }

    public void MessageProcessed(string senderType) => _messagesProcessed.Add(1, new KeyValuePair<string, object?>("sender_type", senderType));

    public void ConversationStarted() => _conversationsStarted.Add(1);

    public void RateLimitExceeded(string userType) => _rateLimitExceeded.Add(1, new KeyValuePair<string, object?>("user_type", userType));

    public void WebhookRejected(string reason) => _webhookRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void LeadCreated(string score) => _leadsCreated.Add(1, new KeyValuePair<string, object?>("score", score));

    public void RecordTelegramCall(string method, string outcome, TimeSpan duration)
    {
        _telegramApiDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("method", method));
        if (outcome != "ok")
        {
            _telegramApiErrors.Add(1, new("method", method), new("code", outcome));
        }
    }

    public void SetOutboxPending(long count) => Interlocked.Exchange(ref _outboxPending, count);
}
