using Dev2Prod.Core.Features.Files;
using Dev2Prod.Core.Telegram;

namespace Dev2Prod.Api.Features.Files;

/// <summary>What the bot says about files (HTML; names are escaped).</summary>
public static class FileTexts
{
    public static string Accepted(int maxSizeMb) => $"I can accept {FileKinds.AcceptedDescription}, up to {maxSizeMb} MB each.";

    public static string Rejection(FileRejection rejection, int maxSizeMb) => rejection switch
    {
        FileRejection.TooLarge =>
            $"Sorry, that file is too large: the limit is {maxSizeMb} MB. Please send a smaller file, or share a link to it.",
        FileRejection.Empty =>
            "That file is empty, so there is nothing to save. Please check it and send it again.",
        FileRejection.MacroEnabled =>
            "Sorry, I can't accept Office files that contain macros. Please save it as a regular .docx, .xlsx or .pptx " +
            "(without macros) and send it again.",
        FileRejection.UnsafeArchive =>
            "Sorry, I can't accept this file: it unpacks to an unusually large size, which is a sign of an unsafe file. " +
            Accepted(maxSizeMb),
        _ => "Sorry, I can't accept this type of file. " + Accepted(maxSizeMb),
    };

    public const string Unavailable = "Sorry, I couldn't fetch that file from Telegram. Please send it again.";

    public static string Saved(string fileName) =>
        $"Thanks, {Html.Escape(fileName)} is saved with your conversation; our team will see it.";

    public static string AlreadySaved(string fileName) =>
        $"Thanks, I already have {Html.Escape(fileName)} in your conversation, so I kept the one copy; our team will see it.";
}
