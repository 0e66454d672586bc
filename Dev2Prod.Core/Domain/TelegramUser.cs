namespace Dev2Prod.Core.Domain;

/// <summary>A Telegram user the bot has seen, upserted from every update they send.</summary>
public sealed class TelegramUser
{
    /// <summary>Telegram's user id (also the private chat id).</summary>
    public long Id { get; set; }
    public string? Username { get; set; }
    public string FirstName { get; set; } = "";
    public string? LastName { get; set; }
    public string? LanguageCode { get; set; }

    /// <summary>The user blocked the bot: nothing is sent to them until they write again.</summary>
    public bool IsBlocked { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }

    public List<Conversation> Conversations { get; set; } = [];

    public string DisplayName => string.IsNullOrWhiteSpace(LastName) ? FirstName : $"{FirstName} {LastName}";
}
