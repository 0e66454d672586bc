using System.Net;
using System.Text.Json.Nodes;
using Dev2Prod.Core.Domain;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.IntegrationTests.Files;

/// <summary>
/// One user sending files to the bot through the webhook: the bytes are put on the fake Bot API server (as Telegram
/// holds them), the update carries only the file id, name and declared size, and each action waits until the update
/// is handled and the replies are sent.
/// </summary>
/// <param name="firstUpdateId">Where this chat's update ids start (away from another helper's for the same user).</param>
internal sealed class FileChat(GatewayHost host, long userId, long? firstUpdateId = null)
{
    private long _nextUpdateId = firstUpdateId ?? userId * 1_000;
    private int _seen;

    public long UserId => userId;

    public IReadOnlyList<RecordedCall> Messages => host.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == userId).ToList();

    /// <summary>Sends a document; <paramref name="declaredSize"/> defaults to the real length (Telegram's file_size).</summary>
    public Task<IReadOnlyList<RecordedCall>> SendDocumentAsync(byte[] content, string? fileName, long? declaredSize = null,
        string mimeType = "application/octet-stream", string? caption = null)
    {
        var fileId = host.Telegram.AddFile(content, fileName);
        var document = new JsonObject
        {
            ["file_id"] = fileId,
            ["file_unique_id"] = "U" + fileId[^12..],
            ["mime_type"] = mimeType,
            ["file_size"] = declaredSize ?? content.Length,
        };
        if (fileName is not null)
        {
            document["file_name"] = fileName;
        }

        return SendMediaAsync("document", document, caption);
    }

    /// <summary>Sends a photo as Telegram does: several sizes, the largest last.</summary>
    public Task<IReadOnlyList<RecordedCall>> SendPhotoAsync(byte[] content)
    {
        var thumbnail = host.Telegram.AddFile([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]);
        var full = host.Telegram.AddFile(content);
        var sizes = new JsonArray(
            new JsonObject { ["file_id"] = thumbnail, ["file_unique_id"] = "T" + thumbnail[^12..], ["width"] = 90, ["height"] = 68, ["file_size"] = 6 },
            new JsonObject { ["file_id"] = full, ["file_unique_id"] = "F" + full[^12..], ["width"] = 1280, ["height"] = 960, ["file_size"] = content.Length });
        return SendMediaAsync("photo", sizes, caption: null);
    }

    public Task<IReadOnlyList<RecordedCall>> SendTextAsync(string text) => ActAsync(Updates.Text(NextUpdateId(), userId, text));

    public async Task<IReadOnlyList<RecordedCall>> ActAsync(string updateJson)
    {
        using var response = await host.PostUpdateAsync(updateJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        try
        {
            await host.WaitForInboxDrainedAsync();
            await host.WaitForOutboxDrainedAsync();
        }
        catch (TimeoutException e)
        {
            // Say why: the warnings and errors the services logged (an update failing and retrying, for example).
            var problems = host.ApiLogs.Entries.Concat(host.WorkerLogs.Entries).Where(l => l.Level >= LogLevel.Warning)
                .Select(l => $"{l.Category}: {l.Message} {l.Exception}");
            throw new TimeoutException(e.Message + "\n" + string.Join("\n", problems), e);
        }

        var all = Messages;
        var fresh = all.Skip(_seen).ToList();
        _seen = all.Count;
        return fresh;
    }

    public Task<List<Attachment>> AttachmentsAsync() =>
        host.QueryAsync(db => db.Attachments.Where(a => a.Conversation!.ChatId == userId).OrderBy(a => a.CreatedAt).ToListAsync());

    public Task<long> ConversationIdAsync() =>
        host.QueryAsync(db => db.Conversations.Where(c => c.ChatId == userId && c.Status != ConversationStatus.Closed).Select(c => c.Id).SingleAsync());

    private Task<IReadOnlyList<RecordedCall>> SendMediaAsync(string field, JsonNode media, string? caption)
    {
        var update = JsonNode.Parse(Updates.Text(NextUpdateId(), userId, "x"))!;
        var message = update["message"]!.AsObject();
        message.Remove("text");
        message[field] = media;
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        return ActAsync(update.ToJsonString());
    }

    private long NextUpdateId() => ++_nextUpdateId;
}

internal static class FileChatExtensions
{
    public static string Texts(this IEnumerable<RecordedCall> messages) =>
        string.Join("\n---\n", messages.Select(m => m.Text("text")));
}
