using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Dev2Prod.Core.Features.Conversations;

/// <summary>
/// "Something changed in conversation N" over Redis pub/sub, so open dashboard pages re-query instead of polling.
/// Published only after the change is committed; the message carries the conversation id and nothing else
/// (no personal data on the wire). Lossy by nature: a missed event means a page shows the change at its next
/// load, never wrong data.
/// </summary>
public sealed partial class ConversationEvents(IConnectionMultiplexer redis, ILogger<ConversationEvents> logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("dev2prod:conversation-events");

    public async Task PublishAsync(long conversationId)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, conversationId.ToString(CultureInfo.InvariantCulture), CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            LogPublishFailed(logger, e.GetType().Name);
        }
    }

    /// <summary>Calls <paramref name="onChanged"/> with the id of every changed conversation until disposed.</summary>
    public async Task<IAsyncDisposable> SubscribeAsync(Func<long, Task> onChanged)
    {
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, value) =>
        {
            if (long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                // Handlers run on Redis' thread: never let one throw there, and never block it.
                Task.Run(async () =>
                {
                    try
                    {
                        await onChanged(id);
                    }
                    catch (Exception e)
                    {
                        LogHandlerFailed(logger, e.GetType().Name);
                    }
                });
            }
        };
        await subscriber.SubscribeAsync(Channel, handler);
        return new Subscription(subscriber, handler);
    }

    private sealed class Subscription(ISubscriber subscriber, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await subscriber.UnsubscribeAsync(Channel, handler);
            }
            catch (RedisException)
            {
                // The connection is gone; so is the subscription.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A conversation event handler failed ({Error})")]
    private static partial void LogHandlerFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a conversation event ({Error}); open pages update at their next load")]
    private static partial void LogPublishFailed(ILogger logger, string error);
}
