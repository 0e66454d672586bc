using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Dev2Prod.Core.Features.Files;

/// <summary>Why a file was refused; each maps to its own reply.</summary>
public enum FileRejection
{
    None = 0,
    Empty,
    TooLarge,
    NotAllowedType,
    MacroEnabled,
    UnsafeArchive,
}

/// <summary>The outcome of sniffing: the detected content type, or why the file is refused.</summary>
public readonly record struct SniffResult(string? ContentType, FileRejection Rejection)
{
    public bool IsAccepted => Rejection == FileRejection.None;

    public static SniffResult Accept(string contentType) => new(contentType, FileRejection.None);

    public static SniffResult Reject(FileRejection rejection) => new(null, rejection);
}

/// <summary>
/// Decides what a file is from its bytes only: the name and the MIME type a client declares are chosen by the
/// sender and prove nothing. An allowlist of magic numbers (PDF, PNG, JPEG, GIF, WebP), Office Open XML files
/// recognised by the main part in <c>[Content_Types].xml</c> (macro-enabled variants and archives that inflate
/// beyond reason refused), and plain UTF-8 text that is not markup. Everything else is refused.
/// </summary>
public static class FileContentSniffer
{
    /// <summary>Uncompressed bytes an Office file may inflate to; real briefs and specs stay far below.</summary>
    public const long MaxUncompressedBytes = 100L * 1024 * 1024;

    /// <summary>Entries an Office file may hold (a large deck has a few hundred).</summary>
    public const int MaxEntries = 2_000;

    /// <summary>Compression ratio above which a large entry is treated as a zip bomb (XML compresses ~5-20:1).</summary>
    public const int MaxCompressionRatio = 200;

    private const long RatioCheckedAbove = 1024 * 1024;
    private const int MaxContentTypesBytes = 1024 * 1024;

    private static readonly Dictionary<string, string> OfficeMainParts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"] = FileKinds.Docx,
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"] = FileKinds.Xlsx,
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"] = FileKinds.Pptx,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="content">The whole file (bounded by <c>Files:MaxSizeMb</c> before it gets here).</param>
    /// <param name="fileNameHint">Only used to label text as CSV or Markdown once the bytes proved it is text.</param>
    public static SniffResult Sniff(ReadOnlySpan<byte> content, string? fileNameHint = null)
    {
        if (content.IsEmpty)
        {
            return SniffResult.Reject(FileRejection.Empty);
        }

        if (content.StartsWith("%PDF-"u8))
        {
            return SniffResult.Accept(FileKinds.Pdf);
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return SniffResult.Accept(FileKinds.Png);
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return SniffResult.Accept(FileKinds.Jpeg);
        }

        if (content.StartsWith("GIF87a"u8) || content.StartsWith("GIF89a"u8))
        {
            return SniffResult.Accept(FileKinds.Gif);
        }

        if (content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8))
        {
            return SniffResult.Accept(FileKinds.WebP);
        }

        if (content.StartsWith("PK\x03\x04"u8))
        {
            return SniffOffice(content.ToArray());
        }

        return IsPlainText(content) ? SniffResult.Accept(TextKindOf(fileNameHint)) : SniffResult.Reject(FileRejection.NotAllowedType);
    }

    private static SniffResult SniffOffice(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
            {
                return SniffResult.Reject(FileRejection.UnsafeArchive);
            }

            ZipArchiveEntry? contentTypes = null;
            foreach (var entry in zip.Entries)
            {
                if (IsMacroPart(entry.FullName))
                {
                    return SniffResult.Reject(FileRejection.MacroEnabled);
                }

                if (entry.FullName == "[Content_Types].xml")
                {
                    contentTypes = entry;
                }
            }

            // The headers' sizes are what the sender wrote: inflate everything and count the real bytes, stopping
            // at the cap, so a bomb that lies about its sizes costs at most the cap.
            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                long entryBytes = 0;
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    entryBytes += read;
                    total += read;
                    if (total > MaxUncompressedBytes)
                    {
                        return SniffResult.Reject(FileRejection.UnsafeArchive);
                    }
                }

                if (entryBytes > RatioCheckedAbove && entryBytes > Math.Max(1, entry.CompressedLength) * MaxCompressionRatio)
                {
                    return SniffResult.Reject(FileRejection.UnsafeArchive);
                }
            }

            if (contentTypes is null || contentTypes.Length > MaxContentTypesBytes)
            {
                return SniffResult.Reject(FileRejection.NotAllowedType);
            }

            var (mainType, hasMacros) = ReadContentTypes(contentTypes);
            if (hasMacros)
            {
                return SniffResult.Reject(FileRejection.MacroEnabled);
            }

            return mainType is not null ? SniffResult.Accept(mainType) : SniffResult.Reject(FileRejection.NotAllowedType);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException or NotSupportedException)
        {
            // A broken or encrypted archive is not a document anyone can open: refuse it like any unknown type.
            return SniffResult.Reject(FileRejection.NotAllowedType);
        }
    }

    private static (string? MainType, bool HasMacros) ReadContentTypes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var reader = XmlReader.Create(stream, new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxContentTypesBytes,
        });

        string? mainType = null;
        var hasMacros = false;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.GetAttribute("ContentType") is not { } contentType)
            {
                continue;
            }

            if (contentType.Contains("macroEnabled", StringComparison.OrdinalIgnoreCase)
                || contentType.Contains("vbaProject", StringComparison.OrdinalIgnoreCase)
                || contentType.Contains("activeX", StringComparison.OrdinalIgnoreCase))
            {
                hasMacros = true;
            }

            if (reader.LocalName == "Override" && OfficeMainParts.TryGetValue(contentType, out var kind))
            {
                // Two different main parts is not a real document.
                if (mainType is not null && mainType != kind)
                {
                    return (null, hasMacros);
                }

                mainType = kind;
            }
        }

        return (mainType, hasMacros);
    }

    private static bool IsMacroPart(string entryName)
    {
        var name = entryName.Replace('\\', '/');
        var leaf = name[(name.LastIndexOf('/') + 1)..];
        return leaf.Equals("vbaProject.bin", StringComparison.OrdinalIgnoreCase)
               || leaf.Equals("vbaData.xml", StringComparison.OrdinalIgnoreCase)
               || name.Contains("/activeX/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Valid UTF-8, no NULs or other control characters than tab, line breaks and form feed, and not markup: an
    /// HTML page or SVG is text too, but one a browser would run, so it is not "plain text" here.
    /// </summary>
    internal static bool IsPlainText(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
            {
                return false;
            }
        }

        var start = text.AsSpan().TrimStart();
        return !start.StartsWith("<", StringComparison.Ordinal);
    }

    private static string TextKindOf(string? fileNameHint) =>
        Path.GetExtension(fileNameHint ?? "").ToLowerInvariant() switch
        {
            ".csv" => FileKinds.Csv,
            ".md" or ".markdown" => FileKinds.Markdown,
            _ => FileKinds.PlainText,
        };
}
