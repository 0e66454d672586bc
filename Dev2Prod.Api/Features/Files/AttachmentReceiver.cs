using System.Security.Cryptography;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Dev2Prod.Api.Features.Files;

/// <summary>The outcome of receiving a file: stored (perhaps earlier, as the same bytes), refused, or not fetchable.</summary>
public sealed record ReceivedFile(Attachment? Attachment, bool IsDuplicate, FileRejection Rejection, bool Unavailable)
{
    public bool IsStored => Attachment is not null;
}

/// <summary>
/// Fetches a file from Telegram and keeps it if it is safe: the declared size is checked before downloading and
/// the bytes while downloading (over <c>Files:MaxSizeMb</c> nothing is kept), the type is decided by the content,
/// the bytes go to the attachment store under a random key, and an <see cref="Attachment"/> row (SHA-256, detected
/// type, sanitised name) links them to the conversation and message. The same bytes in a conversation are stored
/// once. Used for users' files; agents' files arriving in the agents' group go through the same door.
/// </summary>
public sealed partial class AttachmentReceiver(
    IAttachmentStore store,
    IOptionsMonitor<FilesOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<AttachmentReceiver> logger)
{
    /// <param name="db">The update's context: the row is saved with the rest of the update, in its transaction.</param>
    /// <param name="message">The stored message that carried the file (saved first if new, to link by id).</param>
    public async Task<ReceivedFile> ReceiveAsync(BotDbContext db, Conversation conversation, ConversationMessage? message,
        IncomingFile file, SenderType uploadedBy, CancellationToken cancellationToken)
    {
        var limits = options.CurrentValue;
        if (file.DeclaredSize > limits.MaxSizeBytes)
        {
            LogRefused(logger, nameof(FileRejection.TooLarge), file.DeclaredSize);
            return Refused(FileRejection.TooLarge);
        }

        var content = await DownloadAsync(file, limits.MaxSizeBytes, cancellationToken);
        if (content.Rejection != FileRejection.None || content.Unavailable)
        {
            return new ReceivedFile(null, false, content.Rejection, content.Unavailable);
        }

        var bytes = content.Bytes;
        var sniffed = FileContentSniffer.Sniff(bytes.Span, file.DeclaredName);
        if (!sniffed.IsAccepted)
        {
            LogRefused(logger, sniffed.Rejection.ToString(), bytes.Length);
            return Refused(sniffed.Rejection);
        }

        if (conversation.Id == 0 || message is { Id: 0 })
        {
            // The conversation or message is new in this update: save them (inside the update's transaction) so the
            // file goes to the conversation's folder and the row links to the message by id.
            await db.SaveChangesAsync(cancellationToken);
        }

        var conversationId = conversation.Id;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        var existing = db.Attachments.Local.FirstOrDefault(a => a.ConversationId == conversationId && a.Sha256 == sha256)
                       ?? await db.Attachments.FirstOrDefaultAsync(a => a.ConversationId == conversationId && a.Sha256 == sha256, cancellationToken);
        if (existing is not null)
        {
            LogDuplicate(logger, existing.Id);
            return new ReceivedFile(existing, true, FileRejection.None, false);
        }

        // REVIEW: if the update's transaction rolls back after this point, the stored file has no row and stays as
        // an orphan under its random key (never served, since downloads go through rows); a sweep can remove them.
        var storageKey = await store.SaveAsync(conversationId, bytes, cancellationToken);
        var contentType = sniffed.ContentType!;
        var attachment = new Attachment
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            ConversationId = conversationId,
            MessageId = message?.Id,
            // Photos come without a name: "photo.jpg" reads better than "file.jpg" in the dashboard.
            FileName = file.DeclaredName is null
                ? "photo" + FileKinds.ExtensionOf(contentType)
                : FileNameSanitizer.Sanitize(file.DeclaredName, FileKinds.ExtensionOf(contentType)),
            ContentType = contentType,
            SizeBytes = bytes.Length,
            Sha256 = sha256,
            StorageKey = storageKey,
            TelegramFileId = file.FileId,
            TelegramFileUniqueId = file.FileUniqueId,
            UploadedBy = uploadedBy,
            CreatedAt = time.GetUtcNow(),
        };
        db.Attachments.Add(attachment);
        LogStored(logger, attachment.Id, contentType, bytes.Length);
        return new ReceivedFile(attachment, false, FileRejection.None, false);
    }

    private async Task<(ReadOnlyMemory<byte> Bytes, FileRejection Rejection, bool Unavailable)> DownloadAsync(
        IncomingFile file, long maxBytes, CancellationToken cancellationToken)
    {
        var bot = services.GetRequiredService<ITelegramBotClient>();
        try
        {
            var info = await bot.GetFile(file.FileId, cancellationToken);
            if (info.FileSize > maxBytes)
            {
                LogRefused(logger, nameof(FileRejection.TooLarge), info.FileSize);
                return (default, FileRejection.TooLarge, false);
            }

            if (string.IsNullOrEmpty(info.FilePath))
            {
                return (default, FileRejection.None, true);
            }

            // The declared sizes are the sender's and Telegram's word: the bytes are counted as they arrive.
            using var buffer = new CappedMemoryStream(maxBytes);
            await bot.DownloadFile(info.FilePath, buffer, cancellationToken);
            return (buffer.ToArray(), FileRejection.None, false);
        }
        catch (Exception e) when (IsOverCap(e))
        {
            LogRefused(logger, nameof(FileRejection.TooLarge), maxBytes + 1);
            return (default, FileRejection.TooLarge, false);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 400)
        {
            // Telegram refuses the file for good ("file is too big", an expired file_id): asking again won't help.
            LogUnavailable(logger, e.ErrorCode);
            return e.Message.Contains("too big", StringComparison.OrdinalIgnoreCase)
                ? (default, FileRejection.TooLarge, false)
                : (default, FileRejection.None, true);
        }

        // Anything else (network, 5xx, 429 beyond the client's retries) propagates: the update is retried later.
    }

    private static bool IsOverCap(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is FileTooLargeException)
            {
                return true;
            }
        }

        return false;
    }

    private static ReceivedFile Refused(FileRejection rejection) => new(null, false, rejection, false);

    [LoggerMessage(Level = LogLevel.Information, Message = "File refused ({Reason}, {SizeBytes} bytes)")]
    private static partial void LogRefused(ILogger logger, string reason, long? sizeBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "File {AttachmentId} stored ({ContentType}, {SizeBytes} bytes)")]
    private static partial void LogStored(ILogger logger, Guid attachmentId, string contentType, long sizeBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "File already stored as {AttachmentId}; kept one copy")]
    private static partial void LogDuplicate(ILogger logger, Guid attachmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram refused to serve a file ({ErrorCode})")]
    private static partial void LogUnavailable(ILogger logger, int errorCode);

    /// <summary>A memory buffer that refuses to grow past its cap, so an oversized download stops at the cap.</summary>
    private sealed class CappedMemoryStream(long cap) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            EnsureRoom(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            EnsureRoom(buffer.Length);
            base.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            EnsureRoom(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            EnsureRoom(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override void WriteByte(byte value)
        {
            EnsureRoom(1);
            base.WriteByte(value);
        }

        private void EnsureRoom(int count)
        {
            if (Length + count > cap)
            {
                throw new FileTooLargeException();
            }
        }
    }

    private sealed class FileTooLargeException() : IOException("The file is larger than Files:MaxSizeMb.");
}
