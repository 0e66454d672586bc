namespace Dev2Prod.Core.Features.Files;

/// <summary>The file types accepted, recognised from their content (see <see cref="FileContentSniffer"/>).</summary>
public static class FileKinds
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string WebP = "image/webp";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public const string PlainText = "text/plain; charset=utf-8";
    public const string Csv = "text/csv; charset=utf-8";
    public const string Markdown = "text/markdown; charset=utf-8";

    /// <summary>What users are told is accepted, in one sentence.</summary>
    public const string AcceptedDescription =
        "PDF, images (PNG, JPEG, GIF, WebP), Word, Excel and PowerPoint files (DOCX, XLSX, PPTX) and plain text (TXT, CSV, Markdown)";

    /// <summary>The usual extension for a detected type, used when a file arrives without a name (photos).</summary>
    public static string ExtensionOf(string contentType) => contentType switch
    {
        Pdf => ".pdf",
        Png => ".png",
        Jpeg => ".jpg",
        Gif => ".gif",
        WebP => ".webp",
        Docx => ".docx",
        Xlsx => ".xlsx",
        Pptx => ".pptx",
        Csv => ".csv",
        Markdown => ".md",
        _ => ".txt",
    };
}
