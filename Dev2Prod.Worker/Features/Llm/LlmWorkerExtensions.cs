using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Features.Llm;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Dev2Prod.Worker.Features.Llm;

public static partial class LlmWorkerExtensions
{
    /// <summary>
    /// The LLM answers: consumes <c>dev2prod:llm:jobs</c> (group <c>llm-workers</c>) with at-least-once delivery,
    /// takes over jobs of stopped consumers, retries with back-off and dead-letters after
    /// <c>Llm:MaxAttempts</c>; quotas and the daily budget are checked in Redis before every model call.
    /// </summary>
    public static IHostApplicationBuilder AddLlmAnswers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLlmCore();
        builder.Services.AddFaqKnowledge();

        // "A person is needed" from the model (and repeated knowledge-base fallbacks) escalate the conversation.
        builder.Services.AddHandoffEscalation();
        builder.Services.AddSingleton<LlmChatClientFactory>();
        builder.Services.AddScoped<LlmAnswerer>();
        builder.Services.AddHostedService<LlmJobConsumer>();

        // The service defaults give every HttpClient the standard pipeline; the model gets its own, tuned by Llm:*.
#pragma warning disable EXTEXP0001 // Removing the default handlers is the documented way to replace them.
        builder.Services.AddHttpClient(LlmChatClientFactory.HttpClientName, http => http.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("llm", (pipeline, context) =>
            {
                var llm = context.ServiceProvider.GetRequiredService<IOptionsMonitor<LlmOptions>>().CurrentValue;
                pipeline.AddTimeout(llm.Timeout * (llm.HttpRetries + 1) + llm.HttpRetryDelay * (1 << Math.Clamp(llm.HttpRetries, 0, 10)) * 2);
                if (llm.HttpRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = llm.HttpRetries,
                        Delay = llm.HttpRetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        // 429, 5xx, 408, network errors and attempt timeouts (the strategy's default predicate).
                        ShouldRetryAfterHeader = true,
                    });
                }

                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 10,
                        SamplingDuration = TimeSpan.FromSeconds(60),
                        BreakDuration = TimeSpan.FromSeconds(30),
                    })
                    .AddTimeout(llm.Timeout);
            });
#pragma warning restore EXTEXP0001

        var startup = builder.Configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        builder.Services.AddHostedService(sp => new LlmStartupReport(sp.GetRequiredService<ILogger<LlmStartupReport>>(), startup));
        return builder;
    }
}

/// <summary>One clear line at start-up about how questions will be answered.</summary>
internal sealed partial class LlmStartupReport(ILogger<LlmStartupReport> logger, LlmOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.HasApiKey)
        {
            LogModel(logger, options.Model, options.BaseUrl);
        }
        else
        {
            LogNoKey(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "LLM answers use model {Model} at {BaseUrl}")]
    private static partial void LogModel(ILogger logger, string model, string baseUrl);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Llm:ApiKey is not set: questions are answered with the closest knowledge-base entries and the offer of a human")]
    private static partial void LogNoKey(ILogger logger);
}
