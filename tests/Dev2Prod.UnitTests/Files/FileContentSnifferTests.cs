using System.Text;
using Dev2Prod.Core.Features.Files;
using Dev2Prod.Testing.Files;

namespace Dev2Prod.UnitTests.Files;

public sealed class FileContentSnifferTests
{
    public static TheoryData<string, string> AllowedFiles => new()
    {
        { "pdf", FileKinds.Pdf },
        { "png", FileKinds.Png },
        { "jpeg", FileKinds.Jpeg },
        { "gif", FileKinds.Gif },
        { "webp", FileKinds.WebP },
        { "docx", FileKinds.Docx },
        { "xlsx", FileKinds.Xlsx },
        { "pptx", FileKinds.Pptx },
        { "txt", FileKinds.PlainText },
    };

    [Theory]
    [MemberData(nameof(AllowedFiles))]
    public void EachAllowedTypeIsRecognisedFromItsBytes(string kind, string expectedContentType)
    {
        // Named "upload.bin" everywhere: the name must play no part.
        var result = FileContentSniffer.Sniff(Generate(kind), "upload.bin");

        Assert.True(result.IsAccepted, $"{kind} refused as {result.Rejection}");
        Assert.Equal(expectedContentType, result.ContentType);
    }

    [Theory]
    [InlineData("data.csv", "name,budget\nAcme,50000\n", FileKinds.Csv)]
    [InlineData("SPEC.MD", "# Spec\n\n- login\n- payments 💳\n", FileKinds.Markdown)]
    [InlineData("notes", "Привет! Нам нужен сайт.\r\n\tСрок: март", FileKinds.PlainText)]
    public void TextIsLabelledByItsNameOnlyOnceTheBytesProveItIsText(string name, string text, string expected)
    {
        Assert.Equal(expected, FileContentSniffer.Sniff(Encoding.UTF8.GetBytes(text), name).ContentType);
    }

    [Fact]
    public void TextWithAByteOrderMarkIsText() =>
        Assert.True(FileContentSniffer.Sniff([0xEF, 0xBB, 0xBF, .. "hello"u8], "a.txt").IsAccepted);

    [Fact]
    public void AnExecutableNamedPdfIsRefused() =>
        Assert.Equal(FileRejection.NotAllowedType, FileContentSniffer.Sniff(TestFiles.Executable(), "brief.pdf").Rejection);

    [Theory]
    [InlineData("<!DOCTYPE html><html><script>alert(1)</script></html>")]
    [InlineData("  \n<html><body>hi</body></html>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    [InlineData("<?xml version=\"1.0\"?><a/>")]
    public void MarkupIsNotPlainTextWhateverItIsCalled(string markup) =>
        Assert.Equal(FileRejection.NotAllowedType, FileContentSniffer.Sniff(Encoding.UTF8.GetBytes(markup), "screenshot.png").Rejection);

    [Theory]
    [InlineData(new byte[] { 0x68, 0x69, 0x00, 0x21 })] // NUL
    [InlineData(new byte[] { 0x68, 0xC3, 0x28 })] // invalid UTF-8
    [InlineData(new byte[] { 0x68, 0x69, 0x1B, 0x5B, 0x33, 0x31, 0x6D })] // ESC sequence
    [InlineData(new byte[] { 0x68, 0xE9, 0x6C, 0x6C, 0x6F })] // Latin-1, not UTF-8
    public void BinaryOrBrokenTextIsRefused(byte[] content) =>
        Assert.Equal(FileRejection.NotAllowedType, FileContentSniffer.Sniff(content, "notes.txt").Rejection);

    [Fact]
    public void AnEmptyFileIsRefusedAsEmpty() =>
        Assert.Equal(FileRejection.Empty, FileContentSniffer.Sniff([], "brief.pdf").Rejection);

    [Fact]
    public void AMacroEnabledDocumentIsRefused() =>
        Assert.Equal(FileRejection.MacroEnabled, FileContentSniffer.Sniff(TestFiles.Docm(), "brief.docx").Rejection);

    [Fact]
    public void AVbaProjectHiddenInADocxIsRefused() =>
        Assert.Equal(FileRejection.MacroEnabled, FileContentSniffer.Sniff(TestFiles.DocxWithVbaProject(), "brief.docx").Rejection);

    [Fact]
    public void AZipBombDisguisedAsADocxIsRefused()
    {
        var bomb = TestFiles.ZipBombDocx(zeroMegabytes: 150);
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb should be small on the wire, is {bomb.Length} bytes");

        Assert.Equal(FileRejection.UnsafeArchive, FileContentSniffer.Sniff(bomb, "brief.docx").Rejection);
    }

    [Fact]
    public void AnEntryInflatingFarBeyondItsCompressedSizeIsRefusedBelowTheTotalCap() =>
        Assert.Equal(FileRejection.UnsafeArchive, FileContentSniffer.Sniff(TestFiles.ZipBombDocx(zeroMegabytes: 5), "brief.docx").Rejection);

    [Fact]
    public void AZipWithoutOfficeContentTypesIsRefused() =>
        Assert.Equal(FileRejection.NotAllowedType, FileContentSniffer.Sniff(TestFiles.PlainZip(), "brief.docx").Rejection);

    [Fact]
    public void ATruncatedZipIsRefused()
    {
        var docx = TestFiles.Docx();
        Assert.Equal(FileRejection.NotAllowedType, FileContentSniffer.Sniff(docx.AsSpan(0, docx.Length / 2), "brief.docx").Rejection);
    }

    [Theory]
    [InlineData("MZ")]
    [InlineData("\u007FELF")]
    [InlineData("PK\u0005\u0006")]
    public void OtherSignaturesAreRefused(string start) =>
        Assert.False(FileContentSniffer.Sniff([.. Encoding.Latin1.GetBytes(start), 0x00, 0x01], "a.pdf").IsAccepted);

    private static byte[] Generate(string kind) => kind switch
    {
        "pdf" => TestFiles.Pdf(),
        "png" => TestFiles.Png(),
        "jpeg" => TestFiles.Jpeg(),
        "gif" => TestFiles.Gif(),
        "webp" => TestFiles.WebP(),
        "docx" => TestFiles.Docx(),
        "xlsx" => TestFiles.Xlsx(),
        "pptx" => TestFiles.Pptx(),
        _ => TestFiles.Text("Project brief: a booking app for a chain of yoga studios.\n"),
    };
}
