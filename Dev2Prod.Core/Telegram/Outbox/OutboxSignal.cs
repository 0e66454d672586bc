using StackExchange.Redis;

namespace Dev2Prod.Core.Telegram.Outbox;

/// <summary>
/// Wakes the senders (in any replica) when new outbox work was committed, through Redis pub/sub. Purely a
/// latency optimisation: senders also poll, so a lost signal (Redis down) delays nothing by more than a poll.
/// </summary>
public sealed class OutboxSignal(IConnectionMultiplexer redis)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("dev2prod:outbox:wake");

    public async Task NotifyAsync()
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, "1", CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // The poll picks it up.
        }
    }
}
