using StackExchange.Redis;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// "The knowledge base changed" across processes: whoever edits entries (the dashboard) publishes, every Api
/// replica reloads its classifier. A poll of the newest updated_at backs it up if a message is missed.
/// </summary>
public static class FaqChanges
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("dev2prod:faq:changed");

    public static Task PublishAsync(IConnectionMultiplexer redis) => redis.GetSubscriber().PublishAsync(Channel, "1");
}
