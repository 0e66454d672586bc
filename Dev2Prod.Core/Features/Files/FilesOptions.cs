using System.ComponentModel.DataAnnotations;

namespace Dev2Prod.Core.Features.Files;

/// <summary>Where uploaded files live and how large they may be (<c>Files:*</c>).</summary>
public sealed class FilesOptions
{
    public const string Section = "Files";

    /// <summary>
    /// Folder of the attachment store: a mounted volume in production (required there); in Development it defaults
    /// to <c>App_Data/files</c> under the content root.
    /// </summary>
    public string? Root { get; set; }

    /// <summary>Largest file accepted, in megabytes, checked on Telegram's declared size and again on the bytes.</summary>
    [Range(1, 20)] // Telegram's cloud Bot API serves at most 20 MB through getFile.
    public int MaxSizeMb { get; set; } = 10;

    public long MaxSizeBytes => MaxSizeMb * 1024L * 1024L;
}
