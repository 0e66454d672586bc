namespace Dev2Prod.Core.Telegram.Simulator;

/// <summary>
/// The reserved chat ids of "Try the bot": one simulated private chat per dashboard user. Telegram documents
/// user ids as having at most 52 significant bits (below 2^52 = 4 503 599 627 370 496), so the range
/// [<see cref="FirstId"/>, <see cref="LastId"/>] can never be a real private chat, and it stays below 2^53 so the
/// ids survive JSON numbers in JavaScript unchanged. Simulated update ids are negative (Telegram's are positive).
/// </summary>
public static class SimulatedChats
{
    public const long FirstId = 9_000_000_000_000_000;
    public const long LastId = 9_000_999_999_999_999;

    /// <summary>True for chat (and user) ids of simulated test customers: the sender never calls Telegram for them.</summary>
    public static bool Contains(long chatId) => chatId is >= FirstId and <= LastId;

    /// <summary>The simulated chat of a dashboard user (stable, so the conversation continues across visits).</summary>
    public static long ForDashboardUser(int dashboardUserId) =>
        dashboardUserId > 0
            ? FirstId + dashboardUserId
            : throw new ArgumentOutOfRangeException(nameof(dashboardUserId));

    /// <summary>The Redis stream the bot's replies to a simulated chat are delivered to (instead of Telegram).</summary>
    public static string StreamKey(long chatId) => $"dev2prod:simulator:{chatId}";

    /// <summary>Message ids of one simulated chat, shared by the customer's and the bot's messages like in Telegram.</summary>
    public static string MessageIdKey(long chatId) => $"dev2prod:simulator:{chatId}:message-id";

    /// <summary>Counter behind the negative update ids of simulated updates (rising, so a chat's order is kept).</summary>
    public const string UpdateIdKey = "dev2prod:simulator:update-id";

    /// <summary>Simulated transcripts are test data: they expire when a chat has been idle this long.</summary>
    public static readonly TimeSpan StreamLifetime = TimeSpan.FromDays(7);

    /// <summary>Newest entries kept per simulated chat.</summary>
    public const int StreamMaxLength = 1000;
}
