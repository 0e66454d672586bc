using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Telegram;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Dev2Prod.Api.Features.Telegram;

/// <summary>
/// Long polling for development without a public URL (<c>Telegram:Mode</c> = Polling, the default when no
/// webhook URL is set). Deletes any webhook, then records every update in the same inbox the webhook uses,
/// confirming an update to Telegram (the next offset) only after it is recorded. Telegram allows one poller per
/// bot, so replicas elect one through a Redis lease. Errors back off exponentially.
/// </summary>
public sealed partial class TelegramPoller(
    IServiceScopeFactory scopeFactory,
    ITelegramBotClient bot,
    IConnectionMultiplexer redis,
    InboxProcessorSignal processor,
    TimeProvider time,
    ILogger<TelegramPoller> logger) : BackgroundService
{
    private const string LeaseKey = "dev2prod:telegram:poller";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private const int PollTimeoutSeconds = 25;

    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var webhookDeleted = false;
        int? offset = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await HoldLeaseAsync())
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
                    continue;
                }

                if (!webhookDeleted)
                {
                    await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken);
                    webhookDeleted = true;
                    LogPolling(logger);
                }

                var updates = await bot.GetUpdates(offset, limit: 100, timeout: PollTimeoutSeconds,
                    allowedUpdates: TelegramOptions.AllowedUpdates, cancellationToken: stoppingToken);
                if (updates.Length > 0)
                {
                    await using var scope = scopeFactory.CreateAsyncScope();
                    var inbox = scope.ServiceProvider.GetRequiredService<InboxWriter>();
                    foreach (var update in updates)
                    {
                        await inbox.RecordAsync(update, InboxWriter.Serialize(update), stoppingToken);
                        offset = update.Id + 1;
                    }

                    processor.Notify();
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Telegram, Redis or Postgres unreachable; 409 means a webhook or another poller is active.
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(failures, 6))));
                if (e is ApiRequestException { ErrorCode: 409 })
                {
                    webhookDeleted = false;
                }

                LogPollFailed(logger, e.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await ReleaseLeaseAsync();
    }

    private async Task<bool> HoldLeaseAsync()
    {
        var db = redis.GetDatabase();
        if (await db.StringSetAsync(LeaseKey, _instance, LeaseDuration, When.NotExists))
        {
            return true;
        }

        // Ours already: extend it (only if it is still ours).
        return (bool)await db.ScriptEvaluateAsync(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 else return 0 end",
            [(RedisKey)LeaseKey], [_instance, (long)LeaseDuration.TotalMilliseconds]);
    }

    private async Task ReleaseLeaseAsync()
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
                [(RedisKey)LeaseKey], [_instance]);
        }
        catch (RedisException)
        {
            // The lease expires by itself.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram long polling started (webhook removed)")]
    private static partial void LogPolling(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram polling failed ({ErrorType}); retrying in {DelaySeconds} s")]
    private static partial void LogPollFailed(ILogger logger, string errorType, double delaySeconds);
}
