using System.Diagnostics.Metrics;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// Database and Redis metrics under the names the alert rules and dashboards use:
/// <c>db_query_duration_seconds{operation}</c>, <c>db_connection_pool_usage</c> and
/// <c>redis_operations_total{operation,status}</c>. Same naming convention as <see cref="BotMetrics"/>.
/// </summary>
public sealed class InfrastructureMetrics : IDisposable
{
    public const string MeterName = "Dev2Prod.Infrastructure";

    // Npgsql's own meter (OpenTelemetry database semantic conventions): connections per state, and the maximum.
    private const string NpgsqlMeterName = "Npgsql";
    private const string NpgsqlConnectionCount = "db.client.connection.count";
    private const string NpgsqlConnectionMax = "db.client.connection.max";

    private readonly Histogram<double> _queryDuration;
    private readonly Counter<long> _redisOperations;
    private readonly MeterListener _npgsqlListener = new();
    private readonly Lock _poolLock = new();
    private long _poolUsed;
    private long _poolMax;

    public InfrastructureMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _queryDuration = meter.CreateHistogram<double>("db_query_duration_seconds", description: "Database command duration, by operation (select, insert, update, delete, other).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _redisOperations = meter.CreateCounter<long>("redis_operations", description: "Redis commands issued by the service, by command and outcome (success, error).");
        meter.CreateObservableGauge("db_connection_pool_usage", ObservePoolUsage,
            description: "Share of the database connection pool in use (busy connections / maximum pool size, 0-1).");

        // Npgsql reports its pools through a meter of its own; read it here rather than exporting it whole, so the
        // scraped contract stays one gauge with a stable name.
        _npgsqlListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NpgsqlMeterName && instrument.Name is NpgsqlConnectionCount or NpgsqlConnectionMax)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _npgsqlListener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => OnPoolMeasurement(instrument, value, tags));
        _npgsqlListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnPoolMeasurement(instrument, value, tags));
        _npgsqlListener.Start();
    }

    public void RecordQuery(string operation, TimeSpan duration) =>
        _queryDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void RecordRedisOperation(string operation, bool succeeded) =>
        _redisOperations.Add(1,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("status", succeeded ? "success" : "error"));

    private Measurement<double>[] ObservePoolUsage()
    {
        lock (_poolLock)
        {
            _poolUsed = 0;
            _poolMax = 0;
            // Npgsql's instruments are observable: collecting them calls back OnPoolMeasurement for every pool.
            _npgsqlListener.RecordObservableInstruments();
            // No pool opened yet reports 0 (nothing in use) rather than no series, so dashboards show a line.
            return [new Measurement<double>(_poolMax > 0 ? (double)_poolUsed / _poolMax : 0)];
        }
    }

    private void OnPoolMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument.Name == NpgsqlConnectionMax)
        {
            _poolMax += value;
            return;
        }

        foreach (var tag in tags)
        {
            if (tag.Key is "db.client.connection.state" or "state" && tag.Value as string == "used")
            {
                _poolUsed += value;
            }
        }
    }

    public void Dispose() => _npgsqlListener.Dispose();
}
