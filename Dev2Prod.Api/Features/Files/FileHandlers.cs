using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Files;
using Microsoft.Extensions.Options;
using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Files;

/// <summary>
/// First in line for a user's document or photo (Order 0): fetch, check and store it before anything else acts.
/// A refused file gets its reply and stops here; a stored one is put on <see cref="TurnContext.Attachments"/> and
/// the later handlers run (relay to an agent, the intake's brief), with the acknowledgement last.
/// </summary>
public sealed class FileUploadHandler(AttachmentReceiver receiver, IOptionsMonitor<FilesOptions> options) : IMediaHandler
{
    public const int HandlerOrder = 0;

    public int Order => HandlerOrder;

    public async Task<bool> TryHandleAsync(TurnContext turn, TelegramMessage message)
    {
        if (turn.Conversation is not { } conversation || IncomingFile.From(message) is not { } file)
        {
            return false;
        }

        var received = await receiver.ReceiveAsync(turn.Db, conversation, turn.Inbound, file, SenderType.User, turn.CancellationToken);
        if (received.Attachment is { } attachment)
        {
            turn.Attachments.Add(attachment);
            return false;
        }

        turn.Replies.Text(received.Unavailable ? FileTexts.Unavailable : FileTexts.Rejection(received.Rejection, options.CurrentValue.MaxSizeMb));
        return true;
    }
}

/// <summary>A stored file nothing else took (no agent, no intake step): say it is kept and the team will see it (Order 900).</summary>
public sealed class FileReceivedAcknowledgement : IMediaHandler
{
    public const int HandlerOrder = 900;

    public int Order => HandlerOrder;

    public Task<bool> TryHandleAsync(TurnContext turn, TelegramMessage message)
    {
        if (turn.Attachments.Count == 0)
        {
            return Task.FromResult(false);
        }

        foreach (var attachment in turn.Attachments)
        {
            // A row from an earlier message means the same bytes came again: kept once.
            var isDuplicate = attachment.MessageId is not null && attachment.MessageId != turn.Inbound?.Id;
            turn.Replies.Text(isDuplicate ? FileTexts.AlreadySaved(attachment.FileName) : FileTexts.Saved(attachment.FileName));
        }

        return Task.FromResult(true);
    }
}
