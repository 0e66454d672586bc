using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Files;

/// <summary>
/// The attachment store on a local or mounted filesystem: <c>{Files:Root}/conversations/{id}/{random}</c>. Files
/// are written to a temporary name in the same folder, flushed to disk, then renamed, so a crash leaves at most a
/// <c>.tmp</c> file that no key points to, never a half file under a key.
/// </summary>
public sealed partial class LocalFileAttachmentStore(IOptions<FilesOptions> options) : IAttachmentStore
{
    private const string TempSuffix = ".tmp";

    private string Root => Path.GetFullPath(options.Value.Root
                                            ?? throw new InvalidOperationException($"{FilesOptions.Section}:Root is not set."));

    public async Task<string> SaveAsync(long conversationId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(conversationId);
        var key = $"conversations/{conversationId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        var path = PathOf(key)!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        var temporary = path + TempSuffix;
        try
        {
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                // Owner-only: the files are customers' documents.
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(temporary, streamOptions))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string storageKey, CancellationToken cancellationToken)
    {
        if (PathOf(storageKey) is not { } path || !File.Exists(path))
        {
            return Task.FromResult<Stream?>(null);
        }

        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        return Task.FromResult<Stream?>(stream);
    }

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken)
    {
        if (PathOf(storageKey) is { } path)
        {
            TryDelete(path);
        }

        return Task.CompletedTask;
    }

    /// <summary>The path of a key, or null if the key is not one this store generates (so no key reaches outside the root).</summary>
    internal string? PathOf(string storageKey)
    {
        if (!KeyPattern().IsMatch(storageKey))
        {
            return null;
        }

        var root = Root;
        var path = Path.GetFullPath(Path.Combine(root, storageKey));
        return path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: an orphaned file no key points to is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^conversations/[1-9][0-9]{0,18}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}
