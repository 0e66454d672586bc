using System.IO.Compression;
using System.Text;

namespace Dev2Prod.Testing.Files;

/// <summary>
/// Files generated in the test, shaped like the real thing where the checks look: magic numbers, Office Open XML
/// packages with their content types, a zip bomb, an executable. <paramref name="nonce"/> arguments make the bytes
/// differ between calls when a test needs distinct files.
/// </summary>
public static class TestFiles
{
    public const string DocxMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    public const string XlsxMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    public const string PptxMain = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
    public const string DocmMain = "application/vnd.ms-word.document.macroEnabled.main+xml";

    public static byte[] Pdf(string nonce = "") =>
        Encoding.ASCII.GetBytes($"%PDF-1.7\n% {nonce}\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

    /// <summary>A valid 1x1 PNG (signature, IHDR, IDAT, IEND), with a text chunk carrying the nonce.</summary>
    public static byte[] Png(string nonce = "") =>
    [
        .. Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
        .. Encoding.ASCII.GetBytes(nonce),
    ];

    public static byte[] Jpeg(string nonce = "") =>
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, .. Encoding.ASCII.GetBytes(nonce), 0xFF, 0xD9];

    public static byte[] Gif(string nonce = "") =>
        [.. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, .. Encoding.ASCII.GetBytes(nonce), 0x3B];

    public static byte[] WebP(string nonce = "")
    {
        byte[] body = [.. "WEBPVP8 "u8, 0x0A, 0x00, 0x00, 0x00, .. Encoding.ASCII.GetBytes(nonce.PadRight(10, ' ')[..10])];
        return [.. "RIFF"u8, .. BitConverter.GetBytes(body.Length), .. body];
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A Windows executable's start (MZ header, PE offset, NULs): what an ".exe renamed .pdf" looks like.</summary>
    public static byte[] Executable()
    {
        var bytes = new byte[512];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        bytes[0x3C] = 0x80;
        "PE\0\0"u8.CopyTo(bytes.AsSpan(0x80));
        "This program cannot be run in DOS mode."u8.CopyTo(bytes.AsSpan(0x4E));
        return bytes;
    }

    public static byte[] Html() => Encoding.UTF8.GetBytes("<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n");

    public static byte[] Docx(string nonce = "") => Office(DocxMain, "word/document.xml", nonce);

    public static byte[] Xlsx(string nonce = "") => Office(XlsxMain, "xl/workbook.xml", nonce);

    public static byte[] Pptx(string nonce = "") => Office(PptxMain, "ppt/presentation.xml", nonce);

    /// <summary>A macro-enabled Word document (.docm content type and a VBA project), whatever it is named.</summary>
    public static byte[] Docm() => Office(DocmMain, "word/document.xml", "", ("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]));

    /// <summary>A .docx with a VBA project smuggled in under the normal content type.</summary>
    public static byte[] DocxWithVbaProject() => Office(DocxMain, "word/document.xml", "", ("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0]));

    /// <summary>A plain ZIP with no Office content types.</summary>
    public static byte[] PlainZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "readme.txt", "hello"u8.ToArray());
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A valid-looking .docx with an entry of <paramref name="zeroMegabytes"/> MB of zeros: a few hundred KB on the
    /// wire, far more once inflated (the zip bomb disguised as a document).
    /// </summary>
    public static byte[] ZipBombDocx(int zeroMegabytes = 200)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteOfficeParts(zip, DocxMain, "word/document.xml", "");
            using var bomb = zip.CreateEntry("word/media/image1.png", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < zeroMegabytes; i++)
            {
                bomb.Write(zeros);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Office(string mainContentType, string mainPart, string nonce, params (string Name, byte[] Content)[] extra)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteOfficeParts(zip, mainContentType, mainPart, nonce);
            foreach (var (name, content) in extra)
            {
                Write(zip, name, content);
            }
        }

        return buffer.ToArray();
    }

    private static void WriteOfficeParts(ZipArchive zip, string mainContentType, string mainPart, string nonce)
    {
        Write(zip, "[Content_Types].xml", Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
            "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
            "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
            $"<Override PartName=\"/{mainPart}\" ContentType=\"{mainContentType}\"/>" +
            "</Types>"));
        Write(zip, "_rels/.rels", Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            $"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"{mainPart}\"/>" +
            "</Relationships>"));
        Write(zip, mainPart, Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><document><!-- {nonce} --></document>"));
    }

    private static void Write(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }
}
