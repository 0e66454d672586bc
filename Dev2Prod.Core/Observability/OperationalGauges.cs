using System.Diagnostics.Metrics;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// Gauges read from shared state rather than counted in-process, refreshed every few seconds by one service
/// (the Worker), so a query per scrape is never needed:
/// <c>llm_dead_letter_jobs</c> (length of the LLM dead-letter stream) and <c>conversations_active</c>
/// (conversations not closed). Dashboards and alerts aggregate them with <c>max()</c>.
/// </summary>
public sealed partial class OperationalGauges : BackgroundService
{
    public const string MeterName = "Dev2Prod.Operations";

    /// <summary>The Redis stream LLM jobs land in after exhausting their retries.</summary>
    public const string LlmDeadLetterStream = "dev2prod:llm:dead";

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<OperationalGauges> _logger;
    private long _deadLetterJobs = -1;
    private long _activeConversations = -1;

    public OperationalGauges(IMeterFactory meterFactory, IServiceScopeFactory scopeFactory, IConnectionMultiplexer redis, TimeProvider time,
        ILogger<OperationalGauges> logger)
    {
        _scopeFactory = scopeFactory;
        _redis = redis;
        _time = time;
        _logger = logger;
        var meter = meterFactory.Create(MeterName);
        // Until the first successful read the gauges report nothing (no series) rather than a misleading 0.
        meter.CreateObservableGauge("llm_dead_letter_jobs", () => Observe(ref _deadLetterJobs),
            description: "LLM jobs in the dead-letter stream (exhausted their retries; the users behind them got no LLM answer).");
        meter.CreateObservableGauge("conversations_active", () => Observe(ref _activeConversations),
            description: "Conversations not closed (with the bot, waiting for an agent, or claimed).");
    }

    private static Measurement<long>[] Observe(ref long field)
    {
        var value = Interlocked.Read(ref field);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RefreshAsync(stoppingToken);
            try
            {
                await Task.Delay(RefreshInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Reads both gauges once; a failing source keeps its last value and is logged.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            Interlocked.Exchange(ref _deadLetterJobs, await _redis.GetDatabase().StreamLengthAsync(LlmDeadLetterStream));
        }
        catch (RedisException e)
        {
            LogRefreshFailed(_logger, "llm_dead_letter_jobs", e.GetType().Name);
        }

        try
        {
            await using var scope = _scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            Interlocked.Exchange(ref _activeConversations,
                await db.Conversations.LongCountAsync(c => c.Status != ConversationStatus.Closed, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(_logger, "conversations_active", e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh gauge {Gauge} ({ErrorType}); keeping the last value")]
    private static partial void LogRefreshFailed(ILogger logger, string gauge, string errorType);
}

public static class OperationalGaugesRegistration
{
    /// <summary>Runs <see cref="OperationalGauges"/>; register it in one service only (the Worker).</summary>
    public static IHostApplicationBuilder AddOperationalGauges(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<OperationalGauges>();
        return builder;
    }
}
