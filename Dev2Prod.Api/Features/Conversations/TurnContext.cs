using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Telegram.Bot.Types;

namespace Dev2Prod.Api.Features.Conversations;

/// <summary>Everything a handler needs for one update, within the update's database transaction.</summary>
public sealed class TurnContext
{
    public required Update Update { get; init; }
    public required BotDbContext Db { get; init; }
    public required TurnReplies Replies { get; init; }

    /// <summary>The Telegram user who caused the update (null for updates without a sender).</summary>
    public TelegramUser? User { get; init; }

    /// <summary>The private-chat conversation (null for group and channel updates).</summary>
    public Conversation? Conversation { get; init; }

    public ConversationSession Session { get; init; } = new();

    /// <summary>The stored inbound message of this update, if it carried one.</summary>
    public ConversationMessage? Inbound { get; init; }

    /// <summary>
    /// Files of this update already checked and stored (by the files feature, first in line), so later handlers
    /// (relay to an agent, the intake's brief) can link or mention them without fetching them again.
    /// </summary>
    public List<Attachment> Attachments { get; } = [];

    public CancellationToken CancellationToken { get; init; }

    public Conversation RequireConversation() =>
        Conversation ?? throw new InvalidOperationException("This handler needs a private-chat conversation.");
}
