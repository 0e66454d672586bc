using System.ComponentModel.DataAnnotations;
using Telegram.Bot.Types.Enums;

namespace Dev2Prod.Core.Telegram;

public enum TelegramMode
{
    /// <summary>Webhook when <see cref="TelegramOptions.WebhookUrl"/> is set, long polling otherwise.</summary>
    Auto,
    Webhook,
    Polling,
}

/// <summary>Telegram settings (section <c>Telegram</c>).</summary>
public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>Bot token from @BotFather. Empty: Telegram is disabled and the services still run.</summary>
    public string? BotToken { get; set; }

    /// <summary>Another Bot API server (a local Bot API server, or a test fake). Empty: api.telegram.org.</summary>
    public string? ApiBaseUrl { get; set; }

    public TelegramMode Mode { get; set; } = TelegramMode.Auto;

    /// <summary>Public HTTPS URL Telegram posts updates to (webhook mode), e.g. https://bot.example.com/telegram/webhook.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Path the Api serves the webhook on.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9/_-]*$", ErrorMessage = "Telegram:WebhookPath must be an absolute path such as /telegram/webhook.")]
    public string WebhookPath { get; set; } = "/telegram/webhook";

    /// <summary>Shared secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -).</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,256}$", ErrorMessage = "Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and -.")]
    public string? WebhookSecret { get; set; }

    /// <summary>Register the webhook with Telegram when the Api starts in webhook mode.</summary>
    public bool RegisterWebhookOnStart { get; set; } = true;

    /// <summary>Telegram's max_connections for the webhook (1-100).</summary>
    [Range(1, 100)]
    public int MaxConnections { get; set; } = 40;

    /// <summary>The agents' supergroup (negative id); escalations and lead cards go there.</summary>
    public long? AgentGroupChatId { get; set; }

    /// <summary>A new conversation starts when a user writes after this long without messages.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ConversationInactivityTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Largest webhook body accepted (Telegram updates are a few KB).</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxUpdateBytes { get; set; } = 1024 * 1024;

    /// <summary>Handled updates (raw JSON, personal data) are deleted after this long.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Sent, failed and dropped outbox rows are deleted after this long.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(30);

    public SendLimits Sending { get; set; } = new();

    public UserRateLimits UserLimits { get; set; } = new();

    public bool IsEnabled => !string.IsNullOrWhiteSpace(BotToken);

    public TelegramMode EffectiveMode => Mode switch
    {
        TelegramMode.Auto => string.IsNullOrWhiteSpace(WebhookUrl) ? TelegramMode.Polling : TelegramMode.Webhook,
        _ => Mode,
    };

    /// <summary>Update types the bot asks Telegram for (allowed_updates).</summary>
    public static readonly UpdateType[] AllowedUpdates =
        [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.MyChatMember, UpdateType.ChatMember];
}

/// <summary>Telegram's own limits, enforced across all replicas through Redis (section <c>Telegram:Sending</c>).</summary>
public sealed class SendLimits
{
    /// <summary>Messages per second to one private chat (Telegram: about 1).</summary>
    [Range(0.01, 100)]
    public double PerChatPerSecond { get; set; } = 1;

    /// <summary>Short bursts to one private chat that are tolerated before pacing starts.</summary>
    [Range(1, 100)]
    public int PerChatBurst { get; set; } = 3;

    /// <summary>Messages per minute to one group (Telegram: 20).</summary>
    [Range(1, 1000)]
    public int PerGroupPerMinute { get; set; } = 20;

    /// <summary>Messages per second over all chats (Telegram: about 30).</summary>
    [Range(1, 1000)]
    public int GlobalPerSecond { get; set; } = 30;

    /// <summary>Attempts for transient failures (5xx, network) before a message is given up.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>
    /// How long a sender owns a claimed message. If the sender dies mid-call, another one sends the message
    /// after this; keep it well above a slow Bot API call.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Per-user message limits (section <c>Telegram:UserLimits</c>). Agents are exempt.</summary>
public sealed class UserRateLimits
{
    [Range(1, 100_000)]
    public int MessagesPerHour { get; set; } = 60;

    [Range(1, 1_000_000)]
    public int MessagesPerDay { get; set; } = 500;
}
