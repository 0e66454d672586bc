using System.Security.Cryptography;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Files;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing;
using Dev2Prod.Testing.Files;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.IntegrationTests.Files;

/// <summary>
/// Users' files end to end: the webhook, the real pipeline, Postgres, the real Telegram.Bot client fetching the
/// bytes from the fake Bot API server, and the attachment store on a per-test folder.
/// </summary>
public sealed class FileUploadTests(StackFixture stack) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dev2prod-files-" + Guid.NewGuid().ToString("N"));

    private Dictionary<string, string?> Settings(int maxSizeMb = 10) => new()
    {
        ["Files:Root"] = _root,
        ["Files:MaxSizeMb"] = maxSizeMb.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Telegram:Sending:PerChatPerSecond"] = "100",
        ["Telegram:Sending:PerChatBurst"] = "100",
    };

    [Fact]
    public async Task EachAllowedTypeIsStoredWithItsDetectedTypeHashAndMessage()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new FileChat(host, 820_001);
        (string Name, byte[] Content, string ContentType)[] files =
        [
            ("brief.pdf", TestFiles.Pdf(), FileKinds.Pdf),
            ("screen.png", TestFiles.Png(), FileKinds.Png),
            ("mockup.jpg", TestFiles.Jpeg(), FileKinds.Jpeg),
            ("flow.gif", TestFiles.Gif(), FileKinds.Gif),
            ("logo.webp", TestFiles.WebP(), FileKinds.WebP),
            ("spec.docx", TestFiles.Docx(), FileKinds.Docx),
            ("budget.xlsx", TestFiles.Xlsx(), FileKinds.Xlsx),
            ("pitch.pptx", TestFiles.Pptx(), FileKinds.Pptx),
            ("notes.txt", TestFiles.Text("We need a booking app.\n"), FileKinds.PlainText),
            ("users.csv", TestFiles.Text("name,email\nJane,jane@acme.com\n"), FileKinds.Csv),
            ("README.md", TestFiles.Text("# Spec\n\n* login\n"), FileKinds.Markdown),
        ];

        foreach (var (name, content, _) in files)
        {
            var replies = await chat.SendDocumentAsync(content, name);
            Assert.Equal($"Thanks, {name} is saved with your conversation; our team will see it.", replies.Texts());
        }

        var stored = await chat.AttachmentsAsync();
        var conversationId = await chat.ConversationIdAsync();
        var inboundIds = await host.QueryAsync(db => db.Messages
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound).Select(m => m.Id).ToListAsync());
        Assert.Equal(files.Length, stored.Count);
        foreach (var (name, content, contentType) in files)
        {
            var attachment = Assert.Single(stored, a => a.FileName == name);
            Assert.Equal(contentType, attachment.ContentType);
            Assert.Equal(content.Length, attachment.SizeBytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), attachment.Sha256);
            Assert.Equal(SenderType.User, attachment.UploadedBy);
            Assert.Contains(attachment.MessageId!.Value, inboundIds);
            Assert.NotNull(attachment.TelegramFileId);

            // Stored under a random name in the conversation's folder, byte for byte.
            Assert.Matches($"^conversations/{conversationId}/[0-9a-f]{{32}}$", attachment.StorageKey);
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_root, attachment.StorageKey), TestContext.Current.CancellationToken));
        }

        Assert.Equal(files.Length, FilesOnDisk().Count);
    }

    [Fact]
    public async Task APhotoIsStoredFromItsLargestSize()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new FileChat(host, 820_002);
        var photo = TestFiles.Jpeg("full size");

        var replies = await chat.SendPhotoAsync(photo);

        Assert.Equal("Thanks, photo.jpg is saved with your conversation; our team will see it.", replies.Texts());
        var attachment = Assert.Single(await chat.AttachmentsAsync());
        Assert.Equal(FileKinds.Jpeg, attachment.ContentType);
        Assert.Equal(photo, await File.ReadAllBytesAsync(Path.Combine(_root, attachment.StorageKey), TestContext.Current.CancellationToken));
    }

    public static TheoryData<string, string, string> UnsafeFiles => new()
    {
        { "executable", "brief.pdf", "Sorry, I can't accept this type of file. I can accept PDF" },
        { "html", "screenshot.png", "Sorry, I can't accept this type of file. I can accept PDF" },
        { "empty", "brief.pdf", "That file is empty, so there is nothing to save." },
        { "zip bomb", "brief.docx", "it unpacks to an unusually large size" },
        { "macros", "brief.docx", "Sorry, I can't accept Office files that contain macros." },
        { "plain zip", "brief.docx", "Sorry, I can't accept this type of file." },
    };

    [Theory]
    [MemberData(nameof(UnsafeFiles))]
    public async Task UnsafeFilesAreRefusedWithTheRightReplyAndNothingStored(string kind, string name, string expectedReply)
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new FileChat(host, 820_010);
        var content = kind switch
        {
            "executable" => TestFiles.Executable(),
            "html" => TestFiles.Html(),
            "empty" => [],
            "zip bomb" => TestFiles.ZipBombDocx(zeroMegabytes: 200),
            "macros" => TestFiles.Docm(),
            _ => TestFiles.PlainZip(),
        };

        // The declared MIME type agrees with the name, as a disguise would: it must not matter.
        var replies = await chat.SendDocumentAsync(content, name, mimeType: name.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "application/pdf");

        var reply = Assert.Single(replies).Text("text");
        Assert.Contains(expectedReply, reply, StringComparison.Ordinal);
        Assert.Empty(await chat.AttachmentsAsync());
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task AFileDeclaredOverTheLimitIsRefusedWithoutDownloading()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings(maxSizeMb: 1));
        var chat = new FileChat(host, 820_020);

        var replies = await chat.SendDocumentAsync(TestFiles.Pdf(), "huge.pdf", declaredSize: 1024 * 1024 + 1);

        Assert.Equal("Sorry, that file is too large: the limit is 1 MB. Please send a smaller file, or share a link to it.", replies.Texts());
        Assert.Empty(host.Telegram.CallsTo("getFile"));
        Assert.Empty(await chat.AttachmentsAsync());
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task AFileThatUnderstatesItsSizeIsRefusedOnTheRealSize()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings(maxSizeMb: 1));
        var chat = new FileChat(host, 820_021);
        byte[] big = [.. TestFiles.Pdf(), .. new byte[1024 * 1024]];

        var replies = await chat.SendDocumentAsync(big, "small.pdf", declaredSize: 2_000);

        Assert.Contains("that file is too large: the limit is 1 MB", replies.Texts(), StringComparison.Ordinal);
        Assert.Empty(await chat.AttachmentsAsync());
        Assert.Empty(FilesOnDisk());
    }

    [Theory]
    [InlineData("../../../../etc/cron.d/evil.pdf", "evil.pdf")]
    [InlineData("..\\..\\..\\Windows\\win.ini.pdf", "win.ini.pdf")]
    [InlineData("/tmp/../../root/.ssh/authorized_keys", "authorized_keys")]
    [InlineData("Бриф проекта <v2>.pdf", "Бриф проекта v2.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("CON.pdf", "_CON.pdf")]
    public async Task HostileAndUnicodeNamesAreOnlySanitisedMetadata(string declaredName, string expectedName)
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new FileChat(host, 820_030);

        var replies = await chat.SendDocumentAsync(TestFiles.Pdf(), declaredName);

        var attachment = Assert.Single(await chat.AttachmentsAsync());
        Assert.Equal(expectedName, attachment.FileName);
        Assert.Equal(FileKinds.Pdf, attachment.ContentType);
        Assert.Equal($"Thanks, {expectedName.Replace("<", "&lt;", StringComparison.Ordinal)} is saved with your conversation; our team will see it.",
            replies.Single().Text("text"));

        // The only file written is under the root, under a generated name.
        var file = Assert.Single(FilesOnDisk());
        Assert.Equal(Path.GetFullPath(Path.Combine(_root, attachment.StorageKey)), file);
    }

    [Fact]
    public async Task TheSameFileSentTwiceIsStoredOnce()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new FileChat(host, 820_040);
        var pdf = TestFiles.Pdf("one brief");

        await chat.SendDocumentAsync(pdf, "brief.pdf");
        var again = await chat.SendDocumentAsync(pdf, "brief (1).pdf");
        var other = await chat.SendDocumentAsync(TestFiles.Pdf("another brief"), "brief-v2.pdf");

        Assert.Equal("Thanks, I already have brief.pdf in your conversation, so I kept the one copy; our team will see it.", again.Texts());
        Assert.Contains("brief-v2.pdf is saved", other.Texts(), StringComparison.Ordinal);
        Assert.Equal(["brief.pdf", "brief-v2.pdf"], (await chat.AttachmentsAsync()).Select(a => a.FileName));
        Assert.Equal(2, FilesOnDisk().Count);
    }

    [Fact]
    public async Task VoiceNotesAndStickersAreLeftToTheOtherHandlers()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new FileChat(host, 820_050);
        var update = System.Text.Json.Nodes.JsonNode.Parse(Testing.FakeTelegram.Updates.Text(820_050_999, chat.UserId, "x"))!;
        update["message"]!.AsObject().Remove("text");
        update["message"]!["voice"] = new System.Text.Json.Nodes.JsonObject
        {
            ["file_id"] = host.Telegram.AddFile([1, 2, 3]), ["file_unique_id"] = "voice1", ["duration"] = 3,
        };

        var replies = await chat.ActAsync(update.ToJsonString());

        Assert.Empty(host.Telegram.CallsTo("getFile"));
        Assert.Contains("I can only read text messages here", replies.Texts(), StringComparison.Ordinal);
        Assert.Empty(await chat.AttachmentsAsync());
    }

    private List<string> FilesOnDisk() =>
        Directory.Exists(_root) ? Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(Path.GetFullPath).ToList() : [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
