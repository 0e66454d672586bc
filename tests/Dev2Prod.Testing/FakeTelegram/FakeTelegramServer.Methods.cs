using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using static Dev2Prod.Testing.FakeTelegram.RequestParameters;

namespace Dev2Prod.Testing.FakeTelegram;

/// <summary>The Bot API methods the bot uses, answered from in-memory state.</summary>
public sealed partial class FakeTelegramServer
{
    private const int MessageTextLimit = 4096;
    private const int CaptionLimit = 1024;
    private const int FirstMessageId = 1000;
    private const int FirstTopicThreadId = 100;
    private const int DefaultTopicIconColor = 0x6FB9F0;

    /// <summary>Methods whose only answer is <c>true</c>: start-up housekeeping and actions with nothing to return.</summary>
    private static readonly HashSet<string> AcknowledgedMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        "answerCallbackQuery", "sendChatAction", "pinChatMessage", "unpinChatMessage", "unpinAllChatMessages",
        "setMyCommands", "deleteMyCommands", "setMyDescription", "setMyShortDescription", "setMyName",
        "setChatMenuButton", "setMessageReaction", "deleteForumTopic", "leaveChat",
    };

    private readonly Dictionary<long, ChatState> _chats = [];
    private readonly Dictionary<long, int> _nextMessageIds = [];
    private readonly Dictionary<(long ChatId, long MessageId), SentMessage> _messages = [];
    private readonly Dictionary<long, int> _nextThreadIds = [];
    private readonly Dictionary<(long ChatId, long ThreadId), TopicState> _topics = [];
    private readonly Dictionary<string, StoredFile> _files = [];
    private readonly List<JsonObject> _updates = [];
    private TaskCompletionSource _updateEnqueued = NewSignal();
    private TaskCompletionSource? _activePoll;
    private int _fileCount;
    private WebhookState? _webhook;
    private int _pendingUpdateCount;
    private (DateTimeOffset Date, string Message)? _webhookError;

    /// <summary>The webhook URL the bot set, or null while none is set (long polling).</summary>
    public string? WebhookUrl
    {
        get
        {
            lock (_gate)
            {
                return _webhook?.Url;
            }
        }
    }

    /// <summary>The <c>secret_token</c> of the last <c>setWebhook</c>, or null.</summary>
    public string? WebhookSecretToken
    {
        get
        {
            lock (_gate)
            {
                return _webhook?.SecretToken;
            }
        }
    }

    /// <summary>The <c>allowed_updates</c> of the last <c>setWebhook</c>, or null when not given.</summary>
    public IReadOnlyList<string>? WebhookAllowedUpdates
    {
        get
        {
            lock (_gate)
            {
                return _webhook?.AllowedUpdates;
            }
        }
    }

    /// <summary>The <c>max_connections</c> of the last <c>setWebhook</c>, or null when not given.</summary>
    public int? WebhookMaxConnections
    {
        get
        {
            lock (_gate)
            {
                return _webhook?.MaxConnections;
            }
        }
    }

    /// <summary>What <c>getWebhookInfo</c> reports as <c>pending_update_count</c>.</summary>
    public int PendingUpdateCount
    {
        get
        {
            lock (_gate)
            {
                return _pendingUpdateCount;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_gate)
            {
                _pendingUpdateCount = value;
            }
        }
    }

    /// <summary>Makes <c>getWebhookInfo</c> report <c>last_error_date</c> and <c>last_error_message</c>.</summary>
    public void SetWebhookError(DateTimeOffset date, string message)
    {
        lock (_gate)
        {
            _webhookError = (date, message);
        }
    }

    /// <summary>
    /// Declares what kind of chat <paramref name="chatId"/> is (<c>getChat</c>, the <c>chat</c> of sent messages,
    /// whether <c>createForumTopic</c> works). Without it a positive id is a private chat and a negative one a
    /// supergroup that is not a forum.
    /// </summary>
    /// <param name="type">"private", "group", "supergroup" or "channel".</param>
    public void SetChat(long chatId, bool isForum, string type = "supergroup")
    {
        if (type is not ("private" or "group" or "supergroup" or "channel"))
        {
            throw new ArgumentException($"Telegram has no chat type \"{type}\".", nameof(type));
        }

        if (isForum && type != "supergroup")
        {
            throw new ArgumentException("Only a supergroup can be a forum.", nameof(isForum));
        }

        lock (_gate)
        {
            _chats[chatId] = new ChatState(type, isForum);
        }
    }

    /// <summary>
    /// Registers a file as if a user had sent it; the returned file_id works in updates (document.file_id),
    /// <c>getFile</c>, the download URL and <c>sendDocument</c>/<c>sendPhoto</c>.
    /// </summary>
    public string AddFile(byte[] content, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        lock (_gate)
        {
            return StoreFile(content, fileName, mimeType: null).FileId;
        }
    }

    /// <summary>
    /// Queues an update for <c>getUpdates</c>. It stays queued until the bot confirms it (a later
    /// <c>getUpdates</c> with a higher offset), as with Telegram.
    /// </summary>
    /// <exception cref="ArgumentException">Not a JSON object with a numeric <c>update_id</c>.</exception>
    public Task EnqueueUpdateAsync(string updateJson)
    {
        JsonObject update;
        try
        {
            update = JsonNode.Parse(updateJson) as JsonObject ?? throw new ArgumentException("An update is a JSON object.", nameof(updateJson));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"An update is a JSON object: {ex.Message}", nameof(updateJson), ex);
        }

        if (GetLong(update, "update_id") is null)
        {
            throw new ArgumentException("An update has a numeric update_id.", nameof(updateJson));
        }

        TaskCompletionSource enqueued;
        lock (_gate)
        {
            _updates.Add(update);
            enqueued = _updateEnqueued;
            _updateEnqueued = NewSignal();
        }

        enqueued.TrySetResult();
        return Task.CompletedTask;
    }

    private async Task<ApiResult> InvokeAsync(
        string method, JsonObject p, IReadOnlyList<Upload> uploads, CancellationToken cancellationToken)
    {
        if (AcknowledgedMethods.Contains(method))
        {
            return ApiResult.Ok(true);
        }

        return method.ToLowerInvariant() switch
        {
            "getme" => ApiResult.Ok(BotUser()),
            "sendmessage" => SendMessage(p),
            "editmessagetext" => EditMessageText(p),
            "editmessagecaption" => EditMessageCaption(p),
            "editmessagereplymarkup" => EditMessageReplyMarkup(p),
            "deletemessage" => DeleteMessage(p),
            "copymessage" => CopyMessage(p),
            "senddocument" => SendFile(p, uploads, "document"),
            "sendphoto" => SendFile(p, uploads, "photo"),
            "getfile" => GetFile(p),
            "getchat" => GetChat(p),
            "createforumtopic" => CreateForumTopic(p),
            "editforumtopic" => EditForumTopic(p),
            "closeforumtopic" => SetTopicClosed(p, closed: true),
            "reopenforumtopic" => SetTopicClosed(p, closed: false),
            "setwebhook" => SetWebhook(p),
            "deletewebhook" => DeleteWebhook(p),
            "getwebhookinfo" => GetWebhookInfo(),
            "getmycommands" => ApiResult.Ok(new JsonArray()),
            "getupdates" => await GetUpdatesAsync(p, cancellationToken),
            _ => ApiResult.Error(404, "Not Found: method not found"),
        };
    }

    private ApiResult SendMessage(JsonObject p)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        if (Format(p, "text", "parse_mode", isCaption: false, out var formatted) is { } badText)
        {
            return badText;
        }

        if (InlineKeyboardOf(p, out var keyboard) is { } badKeyboard)
        {
            return badKeyboard;
        }

        lock (_gate)
        {
            var message = NewMessage(chatId, NextMessageId(chatId), GetLong(p, "message_thread_id"));
            AddText(message, "text", "entities", formatted);
            AddKeyboard(message, keyboard);
            Remember(message, formatted, keyboard);
            return ApiResult.Ok(message);
        }
    }

    private ApiResult EditMessageText(JsonObject p)
    {
        if (Format(p, "text", "parse_mode", isCaption: false, out var formatted) is { } badText)
        {
            return badText;
        }

        return Edit(p, formatted, Replaces.Text);
    }

    private ApiResult EditMessageCaption(JsonObject p)
    {
        if (Format(p, "caption", "parse_mode", isCaption: true, out var formatted) is { } badCaption)
        {
            return badCaption;
        }

        return Edit(p, formatted, Replaces.Caption);
    }

    private ApiResult EditMessageReplyMarkup(JsonObject p) => Edit(p, formatted: null, Replaces.KeyboardOnly);

    /// <summary>
    /// Both edits replace the inline keyboard (none given removes it, as with Telegram). A message this server
    /// sent is checked like Telegram checks it (deleted, unchanged); one it never saw is edited blindly.
    /// </summary>
    private ApiResult Edit(JsonObject p, TelegramHtml.Result? formatted, Replaces replaces)
    {
        if (InlineKeyboardOf(p, out var keyboard) is { } badKeyboard)
        {
            return badKeyboard;
        }

        if (GetString(p, "inline_message_id") is { Length: > 0 })
        {
            return ApiResult.Ok(true);
        }

        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        if (GetLong(p, "message_id") is not { } messageId)
        {
            return ApiResult.BadRequest("message identifier is not specified");
        }

        lock (_gate)
        {
            var known = _messages.TryGetValue((chatId, messageId), out var sent);
            if (known && sent!.Deleted)
            {
                return ApiResult.BadRequest("message to edit not found");
            }

            if (known && replaces == Replaces.Text && sent!.IsCaption)
            {
                return ApiResult.BadRequest("there is no text in the message to edit");
            }

            if (known && replaces == Replaces.Caption && !sent!.IsCaption)
            {
                return ApiResult.BadRequest("there is no caption in the message to edit");
            }

            var text = replaces == Replaces.KeyboardOnly ? sent?.Text : formatted;
            var keyboardJson = keyboard?.ToJsonString();
            if (known && Same(sent!.Text, text) && sent.KeyboardJson == keyboardJson)
            {
                return ApiResult.BadRequest(
                    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
            }

            var message = NewMessage(chatId, (int)messageId, sent?.ThreadId);
            message["edit_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (text is not null && (sent?.IsCaption ?? replaces == Replaces.Caption))
            {
                AddText(message, "caption", "caption_entities", text);
            }
            else if (text is not null)
            {
                AddText(message, "text", "entities", text);
            }

            AddKeyboard(message, keyboard);
            if (known)
            {
                _messages[(chatId, messageId)] = sent! with { Text = text, KeyboardJson = keyboardJson };
            }

            return ApiResult.Ok(message);
        }

        static bool Same(TelegramHtml.Result? a, TelegramHtml.Result? b) =>
            a?.Text == b?.Text && a?.Entities.ToJsonString() == b?.Entities.ToJsonString();
    }

    private ApiResult DeleteMessage(JsonObject p)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        if (GetLong(p, "message_id") is not { } messageId)
        {
            return ApiResult.BadRequest("message identifier is not specified");
        }

        lock (_gate)
        {
            if (_messages.TryGetValue((chatId, messageId), out var sent))
            {
                if (sent.Deleted)
                {
                    return ApiResult.BadRequest("message to delete not found");
                }

                _messages[(chatId, messageId)] = sent with { Deleted = true };
            }

            return ApiResult.Ok(true);
        }
    }

    private ApiResult CopyMessage(JsonObject p)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        lock (_gate)
        {
            return ApiResult.Ok(new JsonObject { ["message_id"] = NextMessageId(chatId) });
        }
    }

    /// <summary>sendDocument / sendPhoto: an upload (multipart), a file_id this server knows, or an http(s) URL.</summary>
    private ApiResult SendFile(JsonObject p, IReadOnlyList<Upload> uploads, string field)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        if (Format(p, "caption", "parse_mode", isCaption: true, out var caption) is { } badCaption)
        {
            return badCaption;
        }

        if (InlineKeyboardOf(p, out var keyboard) is { } badKeyboard)
        {
            return badKeyboard;
        }

        var upload = FindUpload(p, uploads, field);
        var reference = GetString(p, field);

        lock (_gate)
        {
            StoredFile file;
            if (upload is not null)
            {
                file = StoreFile(upload.Content, upload.FileName, upload.ContentType);
            }
            else if (string.IsNullOrEmpty(reference))
            {
                return ApiResult.BadRequest($"there is no {field} in the request");
            }
            else if (_files.TryGetValue(reference, out var known))
            {
                file = known;
            }
            else if (Uri.TryCreate(reference, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                file = StoreFile([], Path.GetFileName(url.AbsolutePath), mimeType: null);
            }
            else
            {
                return ApiResult.BadRequest("wrong file identifier/HTTP URL specified");
            }

            var message = NewMessage(chatId, NextMessageId(chatId), GetLong(p, "message_thread_id"));
            if (field == "photo")
            {
                // Telegram answers with the sizes it made; a thumbnail and the full size are enough here.
                var thumbnail = StoreFile(file.Content, file.FileName, file.MimeType);
                message["photo"] = new JsonArray(PhotoSize(thumbnail, 90, 90), PhotoSize(file, 1280, 960));
            }
            else
            {
                var document = new JsonObject();
                if (file.FileName is not null)
                {
                    document["file_name"] = file.FileName;
                }

                if (file.MimeType is not null)
                {
                    document["mime_type"] = file.MimeType;
                }

                document["file_id"] = file.FileId;
                document["file_unique_id"] = file.FileUniqueId;
                document["file_size"] = file.Content.Length;
                message["document"] = document;
            }

            if (caption is { Text.Length: > 0 })
            {
                AddText(message, "caption", "caption_entities", caption);
            }

            AddKeyboard(message, keyboard);
            Remember(message, caption, keyboard);
            return ApiResult.Ok(message);
        }

        static JsonObject PhotoSize(StoredFile file, int width, int height) => new()
        {
            ["file_id"] = file.FileId,
            ["file_unique_id"] = file.FileUniqueId,
            ["file_size"] = file.Content.Length,
            ["width"] = width,
            ["height"] = height,
        };
    }

    private ApiResult GetFile(JsonObject p)
    {
        lock (_gate)
        {
            if (GetString(p, "file_id") is not { } fileId || !_files.TryGetValue(fileId, out var file))
            {
                return ApiResult.BadRequest("invalid file_id");
            }

            return ApiResult.Ok(new JsonObject
            {
                ["file_id"] = file.FileId,
                ["file_unique_id"] = file.FileUniqueId,
                ["file_size"] = file.Content.Length,
                ["file_path"] = file.FilePath,
            });
        }
    }

    /// <summary><c>GET /file/bot&lt;token&gt;/&lt;file_path&gt;</c>, recorded as <see cref="DownloadFileMethod"/>.</summary>
    private async Task ServeFileAsync(HttpContext context, string tokenAndPath)
    {
        var slash = tokenAndPath.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || tokenAndPath[..slash] != Token)
        {
            await WriteAsync(context, ApiResult.Error(401, "Unauthorized"), context.RequestAborted);
            return;
        }

        var filePath = tokenAndPath[(slash + 1)..];
        Record(DownloadFileMethod, new JsonObject { ["file_path"] = filePath });
        byte[]? content;
        lock (_gate)
        {
            content = _files.Values.FirstOrDefault(f => f.FilePath == filePath)?.Content;
        }

        if (content is null)
        {
            await WriteAsync(context, ApiResult.Error(404, "Not Found"), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content, context.RequestAborted);
    }

    private ApiResult GetChat(JsonObject p)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        lock (_gate)
        {
            var chat = ChatJson(chatId);

            // Fields Bot API 7.3+ always sends in ChatFullInfo.
            chat["accent_color_id"] = 0;
            chat["max_reaction_count"] = 11;
            chat["accepted_gift_types"] = new JsonObject
            {
                ["unlimited_gifts"] = false,
                ["limited_gifts"] = false,
                ["unique_gifts"] = false,
                ["premium_subscription"] = false,
                ["gifts_from_channels"] = false,
            };
            return ApiResult.Ok(chat);
        }
    }

    private ApiResult CreateForumTopic(JsonObject p)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        if (GetString(p, "name") is not { Length: > 0 } name)
        {
            return ApiResult.BadRequest("TOPIC_TITLE_EMPTY");
        }

        lock (_gate)
        {
            if (!ChatOf(chatId).IsForum)
            {
                return ApiResult.BadRequest("the chat is not a forum");
            }

            var threadId = _nextThreadIds.GetValueOrDefault(chatId, FirstTopicThreadId);
            _nextThreadIds[chatId] = threadId + 1;
            var iconColor = GetLong(p, "icon_color") ?? DefaultTopicIconColor;
            _topics[(chatId, threadId)] = new TopicState(name, Closed: false);

            var topic = new JsonObject
            {
                ["message_thread_id"] = threadId,
                ["name"] = name,
                ["icon_color"] = iconColor,
            };
            if (GetString(p, "icon_custom_emoji_id") is { Length: > 0 } emoji)
            {
                topic["icon_custom_emoji_id"] = emoji;
            }

            return ApiResult.Ok(topic);
        }
    }

    private ApiResult EditForumTopic(JsonObject p)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        lock (_gate)
        {
            if (GetLong(p, "message_thread_id") is { } threadId
                && GetString(p, "name") is { Length: > 0 } name
                && _topics.TryGetValue((chatId, threadId), out var topic))
            {
                _topics[(chatId, threadId)] = topic with { Name = name };
            }

            return ApiResult.Ok(true);
        }
    }

    /// <summary>Closing a closed topic (or reopening an open one) is refused, as Telegram refuses it.</summary>
    private ApiResult SetTopicClosed(JsonObject p, bool closed)
    {
        if (ChatIdOf(p, out var chatId) is { } badChat)
        {
            return badChat;
        }

        lock (_gate)
        {
            if (GetLong(p, "message_thread_id") is { } threadId && _topics.TryGetValue((chatId, threadId), out var topic))
            {
                if (topic.Closed == closed)
                {
                    return ApiResult.BadRequest("TOPIC_NOT_MODIFIED");
                }

                _topics[(chatId, threadId)] = topic with { Closed = closed };
            }

            return ApiResult.Ok(true);
        }
    }

    private ApiResult SetWebhook(JsonObject p)
    {
        var url = GetString(p, "url") ?? "";
        if (url.Length == 0)
        {
            // An empty URL removes the webhook, as with Telegram.
            return DeleteWebhook(p);
        }

        // REVIEW: Telegram requires https; plain http is accepted so an in-process receiver can stand in.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return ApiResult.BadRequest("bad webhook: An HTTPS URL must be provided for webhook");
        }

        var secretToken = GetString(p, "secret_token");
        if (secretToken is not null && !SecretTokenPattern().IsMatch(secretToken))
        {
            return ApiResult.BadRequest("secret token contains unallowed characters");
        }

        var maxConnections = GetLong(p, "max_connections");
        if (maxConnections is < 1 or > 100)
        {
            return ApiResult.BadRequest("bad webhook: max_connections must be between 1 and 100");
        }

        List<string>? allowedUpdates = null;
        if (GetJson(p, "allowed_updates") is JsonArray allowed)
        {
            allowedUpdates = [.. allowed.Select(node => node?.GetValue<string>() ?? "")];
        }

        lock (_gate)
        {
            _webhook = new WebhookState(url, secretToken, allowedUpdates, (int?)maxConnections);
            if (GetBool(p, "drop_pending_updates"))
            {
                _updates.Clear();
            }

            // The long poll in progress ends the way Telegram ends it once a webhook is set.
            _activePoll?.TrySetResult();
        }

        return ApiResult.Ok(true);
    }

    private ApiResult DeleteWebhook(JsonObject p)
    {
        lock (_gate)
        {
            _webhook = null;
            if (GetBool(p, "drop_pending_updates"))
            {
                _updates.Clear();
            }
        }

        return ApiResult.Ok(true);
    }

    private ApiResult GetWebhookInfo()
    {
        lock (_gate)
        {
            var info = new JsonObject
            {
                ["url"] = _webhook?.Url ?? "",
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = _pendingUpdateCount,
            };
            if (_webhookError is { } error)
            {
                info["last_error_date"] = error.Date.ToUnixTimeSeconds();
                info["last_error_message"] = error.Message;
            }

            if (_webhook?.MaxConnections is { } maxConnections)
            {
                info["max_connections"] = maxConnections;
            }

            if (_webhook?.AllowedUpdates is { } allowedUpdates)
            {
                info["allowed_updates"] = new JsonArray([.. allowedUpdates.Select(u => JsonValue.Create(u))]);
            }

            return ApiResult.Ok(info);
        }
    }

    /// <summary>
    /// Long polling as Telegram does it: <c>offset</c> confirms (drops) every update below it, a negative offset
    /// keeps only the last <c>-offset</c>; the call returns queued updates at once or waits up to <c>timeout</c>
    /// seconds for one. A second poll ends the first with 409, and so does setting a webhook.
    /// </summary>
    /// <remarks>REVIEW: <c>allowed_updates</c> is not applied; tests enqueue only what they want delivered.</remarks>
    private async Task<ApiResult> GetUpdatesAsync(JsonObject p, CancellationToken cancellationToken)
    {
        var offset = GetLong(p, "offset");
        var limit = (int)Math.Clamp(GetLong(p, "limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Clamp(GetLong(p, "timeout") ?? 0, 0, 3600));
        var poll = NewSignal();
        lock (_gate)
        {
            if (_webhook is not null)
            {
                return ApiResult.Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            }

            _activePoll?.TrySetResult();
            _activePoll = poll;
            if (offset is < 0 and var fromEnd)
            {
                _updates.RemoveRange(0, Math.Max(0, _updates.Count + (int)Math.Max(fromEnd, -100)));
            }
            else if (offset is { } confirmedBelow)
            {
                _updates.RemoveAll(update => GetLong(update, "update_id") < confirmedBelow);
            }
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                Task enqueued;
                lock (_gate)
                {
                    if (poll.Task.IsCompleted)
                    {
                        return ApiResult.Error(409, _webhook is null
                            ? "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
                            : "Conflict: terminated by setWebhook request");
                    }

                    if (_updates.Count > 0)
                    {
                        return ApiResult.Ok(new JsonArray([.. _updates.Take(limit).Select(u => u.DeepClone())]));
                    }

                    enqueued = _updateEnqueued.Task;
                }

                var remaining = timeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    return ApiResult.Ok(new JsonArray());
                }

                try
                {
                    await Task.WhenAny(enqueued, poll.Task).WaitAsync(remaining, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Looked at once more above, then answered with an empty list.
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return ApiResult.Ok(new JsonArray());
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_activePoll == poll)
                {
                    _activePoll = null;
                }
            }
        }
    }

    /// <summary>
    /// Text or caption checks in Telegram's order: empty, parse mode, length after entity parsing (UTF-16 units,
    /// leading and trailing white space stripped). Returns the refusal, or null with the parsed text.
    /// </summary>
    private static ApiResult? Format(JsonObject p, string field, string parseModeField, bool isCaption, out TelegramHtml.Result formatted)
    {
        var raw = GetString(p, field) ?? "";
        formatted = new TelegramHtml.Result(null, "", []);
        if (raw.Length == 0 && !isCaption)
        {
            return ApiResult.BadRequest("message text is empty");
        }

        var parseMode = GetString(p, parseModeField);
        if (string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase))
        {
            formatted = TelegramHtml.Parse(raw);
            if (formatted.Error is not null)
            {
                return ApiResult.BadRequest($"can't parse entities: {formatted.Error}");
            }
        }
        else if (string.IsNullOrEmpty(parseMode)
            || string.Equals(parseMode, "Markdown", StringComparison.OrdinalIgnoreCase)
            || string.Equals(parseMode, "MarkdownV2", StringComparison.OrdinalIgnoreCase))
        {
            // REVIEW: Markdown is not parsed; the bot formats with HTML.
            formatted = new TelegramHtml.Result(null, raw.Trim(), []);
        }
        else
        {
            return ApiResult.BadRequest("unsupported parse_mode");
        }

        if (isCaption)
        {
            return formatted.Text.Length > CaptionLimit ? ApiResult.BadRequest("message caption is too long") : null;
        }

        if (formatted.Text.Length == 0)
        {
            return ApiResult.BadRequest("message text is empty");
        }

        return formatted.Text.Length > MessageTextLimit ? ApiResult.BadRequest("message is too long") : null;
    }

    /// <summary>
    /// The inline keyboard to echo in the sent Message, or null. Reply keyboards and keyboard removal are accepted
    /// but, as with Telegram, never appear in the Message (its reply_markup is an InlineKeyboardMarkup).
    /// </summary>
    private static ApiResult? InlineKeyboardOf(JsonObject p, out JsonObject? keyboard)
    {
        keyboard = null;
        if (!p.ContainsKey("reply_markup"))
        {
            return null;
        }

        if (GetJson(p, "reply_markup") is not JsonObject markup)
        {
            return ApiResult.BadRequest("can't parse reply keyboard markup JSON object");
        }

        if (markup["inline_keyboard"] is not JsonArray rows)
        {
            return null;
        }

        foreach (var row in rows)
        {
            if (row is not JsonArray buttons)
            {
                return ApiResult.BadRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
            }

            foreach (var button in buttons.OfType<JsonObject>())
            {
                if (GetString(button, "text") is not { Length: > 0 })
                {
                    return ApiResult.BadRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
                }

                if (GetString(button, "callback_data") is { } data && Encoding.UTF8.GetByteCount(data) is 0 or > 64)
                {
                    return ApiResult.BadRequest("BUTTON_DATA_INVALID");
                }
            }
        }

        keyboard = markup;
        return null;
    }

    private static ApiResult? ChatIdOf(JsonObject p, out long chatId)
    {
        chatId = 0;
        if (GetString(p, "chat_id") is not { Length: > 0 })
        {
            return ApiResult.BadRequest("chat_id is empty");
        }

        if (GetLong(p, "chat_id") is not { } id)
        {
            // A @username: this fake knows chats by id only.
            return ApiResult.BadRequest("chat not found");
        }

        chatId = id;
        return null;
    }

    private JsonObject BotUser() => new()
    {
        ["id"] = BotUserId,
        ["is_bot"] = true,
        ["first_name"] = BotFirstName,
        ["username"] = BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
        ["can_connect_to_business"] = false,
        ["has_main_web_app"] = false,
    };

    /// <summary>A Message the bot sent (caller holds the lock).</summary>
    private JsonObject NewMessage(long chatId, int messageId, long? threadId)
    {
        var message = new JsonObject { ["message_id"] = messageId };
        if (threadId is { } thread)
        {
            message["message_thread_id"] = thread;
            if (ChatOf(chatId).IsForum)
            {
                message["is_topic_message"] = true;
            }
        }

        message["from"] = BotUser();
        message["chat"] = ChatJson(chatId);
        message["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return message;
    }

    private static void AddText(JsonObject message, string textField, string entitiesField, TelegramHtml.Result formatted)
    {
        message[textField] = formatted.Text;
        if (formatted.Entities.Count > 0)
        {
            message[entitiesField] = formatted.Entities.DeepClone();
        }
    }

    private static void AddKeyboard(JsonObject message, JsonObject? keyboard)
    {
        if (keyboard is not null)
        {
            message["reply_markup"] = keyboard.DeepClone();
        }
    }

    /// <summary>Keeps what "message is not modified" and edits of the keyboard alone need (caller holds the lock).</summary>
    private void Remember(JsonObject message, TelegramHtml.Result? text, JsonObject? keyboard)
    {
        var chatId = message["chat"]!["id"]!.GetValue<long>();
        var messageId = message["message_id"]!.GetValue<int>();
        _messages[(chatId, messageId)] = new SentMessage(
            text, message.ContainsKey("caption") || !message.ContainsKey("text"), keyboard?.ToJsonString(), GetLong(message, "message_thread_id"), Deleted: false);
    }

    /// <summary>Caller holds the lock.</summary>
    private int NextMessageId(long chatId)
    {
        var messageId = _nextMessageIds.GetValueOrDefault(chatId, FirstMessageId);
        _nextMessageIds[chatId] = messageId + 1;
        return messageId;
    }

    /// <summary>Caller holds the lock.</summary>
    private ChatState ChatOf(long chatId) =>
        _chats.TryGetValue(chatId, out var chat) ? chat : new ChatState(chatId > 0 ? "private" : "supergroup", IsForum: false);

    /// <summary>Caller holds the lock.</summary>
    private JsonObject ChatJson(long chatId)
    {
        var state = ChatOf(chatId);
        var chat = new JsonObject { ["id"] = chatId };
        if (state.Type == "private")
        {
            chat["first_name"] = "User";
        }
        else
        {
            chat["title"] = $"Chat {chatId}";
        }

        chat["type"] = state.Type;
        if (state.IsForum)
        {
            chat["is_forum"] = true;
        }

        return chat;
    }

    /// <summary>Caller holds the lock.</summary>
    private StoredFile StoreFile(byte[] content, string? fileName, string? mimeType)
    {
        var number = ++_fileCount;

        // Shaped like Telegram's: opaque, URL-safe, and a file_unique_id that differs from the file_id.
        var fileId = $"BQACAgIAAxkB{number:D6}{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}";
        var file = new StoredFile(fileId, $"AgAD{number:D6}", fileName, mimeType, content, $"documents/{fileId}");
        _files[fileId] = file;
        return file;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretTokenPattern();

    private enum Replaces
    {
        Text,
        Caption,
        KeyboardOnly,
    }

    private sealed record ChatState(string Type, bool IsForum);

    private sealed record SentMessage(TelegramHtml.Result? Text, bool IsCaption, string? KeyboardJson, long? ThreadId, bool Deleted);

    private sealed record TopicState(string Name, bool Closed);

    private sealed record StoredFile(string FileId, string FileUniqueId, string? FileName, string? MimeType, byte[] Content, string FilePath);

    private sealed record WebhookState(string Url, string? SecretToken, List<string>? AllowedUpdates, int? MaxConnections);
}
