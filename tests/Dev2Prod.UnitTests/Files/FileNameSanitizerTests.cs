using Dev2Prod.Core.Features.Files;

namespace Dev2Prod.UnitTests.Files;

public sealed class FileNameSanitizerTests
{
    [Theory]
    [InlineData("brief.pdf", "brief.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\Windows\\System32\\evil.docx", "evil.docx")]
    [InlineData("/absolute/path/spec.md", "spec.md")]
    [InlineData("..", "file.pdf")]
    [InlineData("...", "file.pdf")]
    [InlineData("", "file.pdf")]
    [InlineData(null, "file.pdf")]
    [InlineData("   ", "file.pdf")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("NUL", "_NUL")]
    [InlineData("com1.tar.gz", "_com1.tar.gz")]
    [InlineData("console.txt", "console.txt")]
    [InlineData("a<b>c:d\"e|f?g*h.pdf", "abcdefgh.pdf")]
    [InlineData("line\r\nbreak\t.pdf", "line break.pdf")]
    [InlineData("bell\u0007\u0000.pdf", "bell.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")] // right-to-left override that shows "exe.pdf"
    [InlineData("zero\u200Bwidth.pdf", "zerowidth.pdf")]
    [InlineData("Бриф проекта.pdf", "Бриф проекта.pdf")]
    [InlineData("企画書 v2.docx", "企画書 v2.docx")]
    [InlineData("  trailing dots... ", "trailing dots")]
    public void NamesAreReducedToASafeLastSegment(string? input, string expected) =>
        Assert.Equal(expected, FileNameSanitizer.Sanitize(input, ".pdf"));

    [Fact]
    public void DecomposedAccentsAreComposed() =>
        Assert.Equal("re\u0301sume\u0301.pdf".Normalize(System.Text.NormalizationForm.FormC), FileNameSanitizer.Sanitize("re\u0301sume\u0301.pdf"));

    [Fact]
    public void LongNamesAreCutKeepingTheExtension()
    {
        var result = FileNameSanitizer.Sanitize(new string('a', 500) + ".docx");

        Assert.Equal(FileNameSanitizer.MaxLength, result.Length);
        Assert.EndsWith(".docx", result, StringComparison.Ordinal);
    }

    [Fact]
    public void LongNamesAreNeverCutInsideACharacter()
    {
        var result = FileNameSanitizer.Sanitize(string.Concat(Enumerable.Repeat("😀", 100)) + ".png");

        Assert.True(result.Length <= FileNameSanitizer.MaxLength);
        Assert.EndsWith(".png", result, StringComparison.Ordinal);
        // Only whole emoji before the extension: half a surrogate pair would read back as U+FFFD.
        Assert.All(result[..^4].EnumerateRunes(), rune => Assert.Equal(0x1F600, rune.Value));
    }
}
