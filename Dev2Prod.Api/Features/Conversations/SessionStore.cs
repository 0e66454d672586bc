using Dev2Prod.Core.Domain;
using StackExchange.Redis;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>
/// The hot copy of sessions in Redis, with a sliding TTL (every read or write extends it). The conversation
/// row holds the durable copy: when the Redis entry has expired or Redis is unreachable, the session is read
/// from there, so a user who comes back later continues where they stopped.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, ILogger<SessionStore> logger)
{
    public static readonly TimeSpan SlidingTtl = TimeSpan.FromHours(1);

    public static RedisKey KeyOf(long conversationId) => $"dev2prod:session:{conversationId}";

    public async Task<ConversationSession> LoadAsync(Conversation conversation)
    {
        var stored = ConversationSession.FromJson(conversation.SessionJson);
        if (conversation.Id > 0)
        {
            try
            {
                var cached = await redis.GetDatabase().StringGetSetExpiryAsync(KeyOf(conversation.Id), SlidingTtl);
                if (cached.HasValue && ConversationSession.FromJson(cached) is { } hot && hot.Version >= stored.Version)
                {
                    return hot;
                }
            }
            catch (RedisException e)
            {
                logger.LogWarning("Session cache unavailable ({ErrorType}); using the stored session", e.GetType().Name);
            }
        }

        return stored;
    }

    /// <summary>Writes the cache copy; call after the durable copy is committed.</summary>
    public async Task CacheAsync(long conversationId, string sessionJson)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(KeyOf(conversationId), sessionJson, SlidingTtl);
        }
        catch (RedisException e)
        {
            logger.LogWarning("Session cache write failed ({ErrorType}); the stored copy stays authoritative", e.GetType().Name);
        }
    }
}
