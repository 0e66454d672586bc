using Dev2Prod.Core.Features.Files;
using Microsoft.Extensions.Options;

namespace Dev2Prod.UnitTests.Files;

public sealed class LocalFileAttachmentStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dev2prod-store-" + Guid.NewGuid().ToString("N"));
    private readonly LocalFileAttachmentStore _store;

    public LocalFileAttachmentStoreTests() =>
        _store = new LocalFileAttachmentStore(Options.Create(new FilesOptions { Root = _root }));

    [Fact]
    public async Task SavedFilesGetARandomKeyInTheConversationFolderAndReadBack()
    {
        var first = await _store.SaveAsync(42, "one"u8.ToArray(), TestContext.Current.CancellationToken);
        var second = await _store.SaveAsync(42, "one"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.NotEqual(first, second);
        Assert.Matches("^conversations/42/[0-9a-f]{32}$", first);
        await using var stream = await _store.OpenReadAsync(first, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream!);
        Assert.Equal("one", await reader.ReadToEndAsync(TestContext.Current.CancellationToken));

        // Only complete files under their keys: no temporary file is left behind.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_root, "conversations", "42")).Length);
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("conversations/42/../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("conversations/42/ABCDEF")]
    [InlineData("")]
    public async Task KeysTheStoreDidNotMakeOpenNothing(string key)
    {
        Assert.Null(await _store.OpenReadAsync(key, TestContext.Current.CancellationToken));
        Assert.Null(_store.PathOf(key));
    }

    [Fact]
    public async Task AFailedWriteLeavesNothingBehind()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.SaveAsync(7, new byte[1024], cancelled.Token));

        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DeletedFilesAreGone()
    {
        var key = await _store.SaveAsync(5, "x"u8.ToArray(), TestContext.Current.CancellationToken);

        await _store.DeleteAsync(key, TestContext.Current.CancellationToken);

        Assert.Null(await _store.OpenReadAsync(key, TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
