using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Files;

/// <summary>A file a Telegram message carries, as Telegram describes it (names and sizes are the sender's claims).</summary>
public sealed record IncomingFile(string FileId, string? FileUniqueId, string? DeclaredName, long? DeclaredSize)
{
    /// <summary>
    /// The document or photo of a message, or null for anything else. Voice notes, videos and stickers are not
    /// files people attach as briefs: they are left to the other handlers (relayed to an agent, or answered).
    /// </summary>
    public static IncomingFile? From(TelegramMessage message)
    {
        if (message.Document is { } document)
        {
            return new IncomingFile(document.FileId, document.FileUniqueId, document.FileName, document.FileSize);
        }

        // Telegram sends every size it made of a photo; the largest is the original.
        if (message.Photo is { Length: > 0 } sizes && sizes.MaxBy(p => (long)p.Width * p.Height) is { } photo)
        {
            return new IncomingFile(photo.FileId, photo.FileUniqueId, null, photo.FileSize);
        }

        return null;
    }
}
