using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Dev2Prod.IntegrationTests.FakeTelegram;

/// <summary>
/// The fake Bot API server, driven by the real Telegram.Bot client over HTTP: if the client accepts its answers
/// and surfaces its errors the way it surfaces Telegram's, tests built on it exercise the real code paths.
/// </summary>
public sealed class FakeTelegramServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private FakeTelegramServer _fake = null!;
    private TelegramBotClient _bot = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeTelegramServer.StartAsync().WaitAsync(Timeout, Ct);
        _bot = NewClient(_fake.Token);
    }

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync().AsTask().WaitAsync(Timeout);

    [Fact]
    public async Task GetMeAnswersWithTheTestBot()
    {
        var me = await _bot.GetMe(Ct).WaitAsync(Timeout, Ct);

        Assert.Equal(_fake.BotUserId, me.Id);
        Assert.Equal(123456, me.Id);
        Assert.True(me.IsBot);
        Assert.Equal("dev2prod_test_bot", me.Username);
        Assert.StartsWith("http://127.0.0.1:", _fake.BaseUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendMessageIsRecordedAndAnswersWithTheMessage()
    {
        var keyboard = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Talk to a human", "handoff:start"));

        var first = await _bot.SendMessage(42, "Hello <there>", replyMarkup: keyboard, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var second = await _bot.SendMessage(42, "Again", cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var elsewhere = await _bot.SendMessage(-100500, "In a group", cancellationToken: Ct).WaitAsync(Timeout, Ct);

        Assert.Equal(42, first.Chat.Id);
        Assert.Equal(ChatType.Private, first.Chat.Type);
        Assert.Equal("Hello <there>", first.Text);
        Assert.Equal(_fake.BotUserId, first.From?.Id);
        Assert.Equal(1000, first.Id);
        Assert.Equal(1001, second.Id);
        Assert.Equal("handoff:start", Assert.Single(Assert.Single(first.ReplyMarkup!.InlineKeyboard)).CallbackData);
        Assert.Null(second.ReplyMarkup);
        Assert.Equal(ChatType.Supergroup, elsewhere.Chat.Type);
        Assert.Equal(1000, elsewhere.Id);

        var call = await _fake.WaitForCallAsync(c => c.Method == "sendMessage" && c.Text("text") == "Hello <there>", Timeout).WaitAsync(Timeout, Ct);
        Assert.Equal(42, call.ChatId);
        Assert.Equal("handoff:start", call.Json("reply_markup")?["inline_keyboard"]?[0]?[0]?["callback_data"]?.GetValue<string>());
        Assert.Equal(3, _fake.CallsTo("SENDMESSAGE").Count());
    }

    [Fact]
    public async Task TooManyRequestsSurfacesWithRetryAfterWhenTheClientDoesNotRetry()
    {
        var bot = NewClient(_fake.Token, retryThreshold: 0);
        _fake.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1);

        var refused = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(42, "Hi", cancellationToken: Ct).WaitAsync(Timeout, Ct));
        var sent = await bot.SendMessage(42, "Hi", cancellationToken: Ct).WaitAsync(Timeout, Ct);

        Assert.Equal(429, refused.ErrorCode);
        Assert.Equal(1, refused.Parameters?.RetryAfter);
        Assert.Contains("Too Many Requests", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Hi", sent.Text);
        Assert.Equal(2, _fake.CallsTo("sendMessage").Count());
    }

    [Fact]
    public async Task ClientRetriesTooManyRequestsByItselfWithinItsThreshold()
    {
        _fake.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1);

        var sent = await _bot.SendMessage(42, "Patience", cancellationToken: Ct).WaitAsync(Timeout, Ct);

        Assert.Equal("Patience", sent.Text);
        var calls = _fake.CallsTo("sendMessage").ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(0.9), "the client waited retry_after before retrying");
    }

    [Fact]
    public async Task InvalidHtmlIsRefusedWithCantParseEntities()
    {
        var refused = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendMessage(42, "<b>Price: 5 < 6</b>", ParseMode.Html, cancellationToken: Ct).WaitAsync(Timeout, Ct));

        Assert.Equal(400, refused.ErrorCode);
        Assert.StartsWith("Bad Request: can't parse entities: ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlIsAnsweredAsTheTextAndEntitiesTelegramStores()
    {
        var sent = await _bot.SendMessage(
                42,
                "  <b>Hot</b> lead &amp; <a href=\"https://dev2production.tech/?a=1&b=2\">site</a> <pre><code class=\"language-csharp\">x</code></pre>\n",
                ParseMode.Html,
                cancellationToken: Ct)
            .WaitAsync(Timeout, Ct);

        Assert.Equal("Hot lead & site x", sent.Text);
        Assert.Collection(
            sent.Entities!,
            bold => Assert.Equal((MessageEntityType.Bold, 0, 3), (bold.Type, bold.Offset, bold.Length)),
            link =>
            {
                Assert.Equal((MessageEntityType.TextLink, 11, 4), (link.Type, link.Offset, link.Length));
                Assert.Equal("https://dev2production.tech/?a=1&b=2", link.Url);
            },
            pre =>
            {
                Assert.Equal((MessageEntityType.Pre, 16, 1), (pre.Type, pre.Offset, pre.Length));
                Assert.Equal("csharp", pre.Language);
            });
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>i</ins> <s>s</s> <strike>s</strike> <del>d</del>")]
    [InlineData("<span class=\"tg-spoiler\">x</span> <tg-spoiler>y</tg-spoiler> <a href=\"https://example.com\">z</a>")]
    [InlineData("<code>c</code> <pre>p</pre> <pre><code class=\"language-python\">print()</code></pre>")]
    [InlineData("<blockquote>q</blockquote> <blockquote expandable>long</blockquote> <tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>")]
    [InlineData("<b>nested <i>italic</i> bold</b> &lt;tag&gt; &amp; &quot; &#39; &#x1F600;")]
    [InlineData("<B>case-insensitive tags</B>")]
    public void ValidHtmlPasses(string text) => Assert.Null(FakeTelegramServer.ValidateHtml(text));

    [Theory]
    [InlineData("<div>x</div>", "Unsupported start tag \"div\" at byte offset 0")]
    [InlineData("<b>never closed", "Can't find end tag corresponding to start tag \"b\"")]
    [InlineData("<b><i>x</b></i>", "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\"")]
    [InlineData("x</b>", "Unexpected end tag at byte offset 1")]
    [InlineData("ü <b", "Unclosed start tag at byte offset 3")]
    [InlineData("<span>x</span>", "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0")]
    [InlineData("a < b", "Unsupported start tag \"\" at byte offset 2")]
    [InlineData("Tom & Jerry", "Unescaped \"&\" at byte offset 4: write it as \"&amp;\"")]
    [InlineData("&nbsp;", "Unescaped \"&\" at byte offset 0: write it as \"&amp;\"")]
    [InlineData("a > b", "Unescaped \">\" at byte offset 2: write it as \"&gt;\"")]
    [InlineData("<br/>", "Unsupported start tag \"br/\" at byte offset 0")]
    public void InvalidHtmlIsRefusedWithTelegramsReason(string text, string reason) =>
        Assert.Equal(reason, FakeTelegramServer.ValidateHtml(text));

    [Fact]
    public async Task TextOver4096CharactersAfterParsingIsRefused()
    {
        var longest = new string('a', 4096);

        var tooLong = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendMessage(42, longest + "a", cancellationToken: Ct).WaitAsync(Timeout, Ct));
        var fits = await _bot.SendMessage(42, $"<b>{longest}</b>", ParseMode.Html, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var empty = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendMessage(42, "<b> </b>", ParseMode.Html, cancellationToken: Ct).WaitAsync(Timeout, Ct));

        Assert.Equal((400, "Bad Request: message is too long"), (tooLong.ErrorCode, tooLong.Message));
        Assert.Equal(4096, fits.Text?.Length);
        Assert.Equal((400, "Bad Request: message text is empty"), (empty.ErrorCode, empty.Message));
    }

    [Fact]
    public async Task GetUpdatesLongPollReturnsAnEnqueuedUpdateAndHonoursTheOffset()
    {
        var poll = _bot.GetUpdates(offset: 0, timeout: 10, cancellationToken: Ct);
        await _fake.WaitForCallAsync(c => c.Method == "getUpdates", Timeout).WaitAsync(Timeout, Ct);
        Assert.False(poll.IsCompleted, "the poll waits while nothing is queued");

        await _fake.EnqueueUpdateAsync(Updates.Text(1, 42, "/start ref_7")).WaitAsync(Timeout, Ct);
        var first = Assert.Single(await poll.WaitAsync(Timeout, Ct));

        Assert.Equal(1, first.Id);
        Assert.Equal("/start ref_7", first.Message?.Text);
        Assert.Equal(42, first.Message?.Chat.Id);
        Assert.Equal((MessageEntityType.BotCommand, 0, 6), first.Message?.Entities?.Single() is { } e ? (e.Type, e.Offset, e.Length) : default);

        // Not confirmed yet: delivered again. Confirmed by offset 2: gone for good.
        Assert.Single(await _bot.GetUpdates(offset: 1, timeout: 0, cancellationToken: Ct).WaitAsync(Timeout, Ct));
        await _fake.EnqueueUpdateAsync(Updates.GroupText(2, -100777, 42, "help", threadId: 100, isForum: true)).WaitAsync(Timeout, Ct);
        await _fake.EnqueueUpdateAsync(Updates.Callback(3, 42, "faq:pricing", messageId: 1000)).WaitAsync(Timeout, Ct);
        var next = await _bot.GetUpdates(offset: 2, timeout: 0, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var last = await _bot.GetUpdates(offset: 3, timeout: 0, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var none = await _bot.GetUpdates(offset: 4, timeout: 0, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var stillNone = await _bot.GetUpdates(timeout: 0, cancellationToken: Ct).WaitAsync(Timeout, Ct);

        Assert.Equal([2, 3], next.Select(u => u.Id));
        var topicMessage = next[0].Message!;
        Assert.True(topicMessage.Chat.IsForum);
        Assert.Equal(100, topicMessage.MessageThreadId);
        Assert.NotNull(topicMessage.ReplyToMessage?.ForumTopicCreated);
        Assert.Equal("faq:pricing", Assert.Single(last).CallbackQuery?.Data);
        Assert.Equal(1000, last[0].CallbackQuery?.Message?.Id);
        Assert.Empty(none);
        Assert.Empty(stillNone);
    }

    [Fact]
    public async Task WebhookIsRememberedAndPostsCarryTheSecretHeader()
    {
        await using var receiver = await WebhookReceiver.StartAsync().WaitAsync(Timeout, Ct);
        await _bot.SetWebhook(
                receiver.Url.ToString(),
                maxConnections: 5,
                allowedUpdates: [UpdateType.Message, UpdateType.CallbackQuery],
                secretToken: "test-secret_1",
                cancellationToken: Ct)
            .WaitAsync(Timeout, Ct);
        _fake.PendingUpdateCount = 3;
        _fake.SetWebhookError(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), "Wrong response from the webhook: 500 Internal Server Error");

        var info = await _bot.GetWebhookInfo(Ct).WaitAsync(Timeout, Ct);
        using var response = await _fake.PostToWebhookAsync(new Uri(_fake.WebhookUrl!), Updates.Callback(7, 42, "intake:start", 1000), _fake.WebhookSecretToken)
            .WaitAsync(Timeout, Ct);
        var polling = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.GetUpdates(timeout: 0, cancellationToken: Ct).WaitAsync(Timeout, Ct));

        Assert.Equal(receiver.Url.ToString(), info.Url);
        Assert.Equal(3, info.PendingUpdateCount);
        Assert.Equal(5, info.MaxConnections);
        Assert.Equal("Wrong response from the webhook: 500 Internal Server Error", info.LastErrorMessage);
        Assert.Equal(["message", "callback_query"], _fake.WebhookAllowedUpdates);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal("test-secret_1", delivery.SecretToken);
        Assert.Equal("application/json", delivery.ContentType);
        Assert.Equal("intake:start", JsonSerializer.Deserialize<Update>(delivery.Body, JsonBotAPI.Options)?.CallbackQuery?.Data);
        Assert.Equal(409, polling.ErrorCode);

        await _bot.DeleteWebhook(cancellationToken: Ct).WaitAsync(Timeout, Ct);
        Assert.Null(_fake.WebhookUrl);
        Assert.Empty(await _bot.GetUpdates(timeout: 0, cancellationToken: Ct).WaitAsync(Timeout, Ct));
    }

    [Fact]
    public async Task GetFileAndDownloadFileReturnTheRegisteredBytes()
    {
        var content = Encoding.UTF8.GetBytes("%PDF-1.7 fake invoice");
        var fileId = _fake.AddFile(content, "invoice.pdf");

        var file = await _bot.GetFile(fileId, Ct).WaitAsync(Timeout, Ct);
        using var downloaded = new MemoryStream();
        await _bot.DownloadFile(file.FilePath!, downloaded, Ct).WaitAsync(Timeout, Ct);
        var unknown = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.GetFile("no-such-file", Ct).WaitAsync(Timeout, Ct));

        Assert.Equal(fileId, file.FileId);
        Assert.Equal($"documents/{fileId}", file.FilePath);
        Assert.Equal(content.Length, file.FileSize);
        Assert.Equal(content, downloaded.ToArray());
        Assert.Equal((400, "Bad Request: invalid file_id"), (unknown.ErrorCode, unknown.Message));
        Assert.Equal(file.FilePath, Assert.Single(_fake.CallsTo(FakeTelegramServer.DownloadFileMethod)).Text("file_path"));
    }

    [Fact]
    public async Task UploadedDocumentIsRecordedAndCanBeDownloadedAgain()
    {
        var content = new byte[] { 1, 2, 3, 4, 5 };
        using var stream = new MemoryStream(content);

        var sent = await _bot.SendDocument(-100500, InputFile.FromStream(stream, "report.bin"), caption: "<i>Report</i>", parseMode: ParseMode.Html, cancellationToken: Ct)
            .WaitAsync(Timeout, Ct);
        var file = await _bot.GetFile(sent.Document!.FileId, Ct).WaitAsync(Timeout, Ct);
        using var downloaded = new MemoryStream();
        await _bot.DownloadFile(file, downloaded, Ct).WaitAsync(Timeout, Ct);
        var byId = await _bot.SendDocument(42, InputFile.FromFileId(sent.Document.FileId), cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var textEdit = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.EditMessageText(-100500, sent.Id, "Not a caption", cancellationToken: Ct).WaitAsync(Timeout, Ct));
        var captionEdit = await _bot.EditMessageCaption(-100500, sent.Id, "<b>Final</b> report", ParseMode.Html, cancellationToken: Ct)
            .WaitAsync(Timeout, Ct);
        var photo = await _bot.SendPhoto(42, InputFile.FromFileId(sent.Document.FileId), cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var wrongId = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendDocument(42, InputFile.FromFileId(sent.Document.FileUniqueId), cancellationToken: Ct).WaitAsync(Timeout, Ct));

        Assert.Equal("report.bin", sent.Document.FileName);
        Assert.Equal("Report", sent.Caption);
        Assert.Equal(content, downloaded.ToArray());
        Assert.Equal(sent.Document.FileId, byId.Document?.FileId);
        Assert.Equal((400, "Bad Request: there is no text in the message to edit"), (textEdit.ErrorCode, textEdit.Message));
        Assert.Equal("Final report", captionEdit.Caption);
        Assert.Equal(MessageEntityType.Bold, Assert.Single(captionEdit.CaptionEntities!).Type);
        Assert.Equal(2, photo.Photo?.Length);
        Assert.Equal((400, "Bad Request: wrong file identifier/HTTP URL specified"), (wrongId.ErrorCode, wrongId.Message));
        var upload = _fake.CallsTo("sendDocument").First().Parameters["document"];
        Assert.Equal("report.bin", upload?["file_name"]?.GetValue<string>());
        Assert.Equal(5, upload?["length"]?.GetValue<int>());
    }

    [Fact]
    public async Task ForumTopicsAreCreatedInForumsAndClosedOnce()
    {
        const long forum = -1001234567890;
        _fake.SetChat(forum, isForum: true);

        var topic = await _bot.CreateForumTopic(forum, "Ticket #1 · Alice", cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var another = await _bot.CreateForumTopic(forum, "Ticket #2", iconColor: 0xFF93B2, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var inTopic = await _bot.SendMessage(forum, "New ticket", messageThreadId: topic.MessageThreadId, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var chat = await _bot.GetChat(forum, Ct).WaitAsync(Timeout, Ct);
        var privateChat = await _bot.GetChat(42, Ct).WaitAsync(Timeout, Ct);
        await _bot.EditForumTopic(forum, topic.MessageThreadId, "Ticket #1 · closed", cancellationToken: Ct).WaitAsync(Timeout, Ct);
        await _bot.CloseForumTopic(forum, topic.MessageThreadId, Ct).WaitAsync(Timeout, Ct);
        var closedTwice = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.CloseForumTopic(forum, topic.MessageThreadId, Ct).WaitAsync(Timeout, Ct));
        await _bot.ReopenForumTopic(forum, topic.MessageThreadId, Ct).WaitAsync(Timeout, Ct);
        var notAForum = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.CreateForumTopic(-100999, "Nope", cancellationToken: Ct).WaitAsync(Timeout, Ct));

        Assert.Equal((100, "Ticket #1 · Alice", 0x6FB9F0), (topic.MessageThreadId, topic.Name, (int)topic.IconColor));
        Assert.Equal(101, another.MessageThreadId);
        Assert.Equal(100, inTopic.MessageThreadId);
        Assert.True(inTopic.IsTopicMessage);
        Assert.True(chat.IsForum);
        Assert.Equal(ChatType.Supergroup, chat.Type);
        Assert.Equal(ChatType.Private, privateChat.Type);
        Assert.False(privateChat.IsForum);
        Assert.Equal((400, "Bad Request: TOPIC_NOT_MODIFIED"), (closedTwice.ErrorCode, closedTwice.Message));
        Assert.Equal((400, "Bad Request: the chat is not a forum"), (notAForum.ErrorCode, notAForum.Message));
    }

    [Fact]
    public async Task BlockedUserAnswers403()
    {
        _fake.BlockUser(77);

        var blocked = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(77, "Still there?", cancellationToken: Ct).WaitAsync(Timeout, Ct));
        var typing = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendChatAction(77, ChatAction.Typing, cancellationToken: Ct).WaitAsync(Timeout, Ct));
        var other = await _bot.SendMessage(78, "Hi", cancellationToken: Ct).WaitAsync(Timeout, Ct);

        Assert.Equal((403, "Forbidden: bot was blocked by the user"), (blocked.ErrorCode, blocked.Message));
        Assert.Equal(403, typing.ErrorCode);
        Assert.Equal(78, other.Chat.Id);
    }

    [Fact]
    public async Task EditingToTheSameContentIsRefusedAsNotModified()
    {
        var keyboard = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Yes", "confirm:yes"));
        var sent = await _bot.SendMessage(42, "Confirm?", replyMarkup: keyboard, cancellationToken: Ct).WaitAsync(Timeout, Ct);

        var same = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.EditMessageText(42, sent.Id, "Confirm?", replyMarkup: keyboard, cancellationToken: Ct).WaitAsync(Timeout, Ct));
        var edited = await _bot.EditMessageText(42, sent.Id, "<b>Confirmed</b>", ParseMode.Html, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        await _bot.DeleteMessage(42, sent.Id, Ct).WaitAsync(Timeout, Ct);
        var gone = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.EditMessageText(42, sent.Id, "Again", cancellationToken: Ct).WaitAsync(Timeout, Ct));

        Assert.Equal(400, same.ErrorCode);
        Assert.StartsWith("Bad Request: message is not modified", same.Message, StringComparison.Ordinal);
        Assert.Equal("Confirmed", edited.Text);
        Assert.NotNull(edited.EditDate);
        Assert.Null(edited.ReplyMarkup);
        Assert.Equal((400, "Bad Request: message to edit not found"), (gone.ErrorCode, gone.Message));
    }

    [Fact]
    public async Task ActionsWithNothingToReturnAnswerTrue()
    {
        var sent = await _bot.SendMessage(42, "Menu", cancellationToken: Ct).WaitAsync(Timeout, Ct);

        await _bot.AnswerCallbackQuery("callback-1", "Noted", cancellationToken: Ct).WaitAsync(Timeout, Ct);
        await _bot.SendChatAction(42, ChatAction.Typing, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        await _bot.PinChatMessage(42, sent.Id, cancellationToken: Ct).WaitAsync(Timeout, Ct);
        await _bot.SetMyCommands([new BotCommand("start", "Start over")], cancellationToken: Ct).WaitAsync(Timeout, Ct);
        await _bot.DeleteMessage(42, sent.Id, Ct).WaitAsync(Timeout, Ct);
        var deletedTwice = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.DeleteMessage(42, sent.Id, Ct).WaitAsync(Timeout, Ct));

        Assert.Equal("Noted", Assert.Single(_fake.CallsTo("answerCallbackQuery")).Text("text"));
        Assert.Equal((400, "Bad Request: message to delete not found"), (deletedTwice.ErrorCode, deletedTwice.Message));
    }

    [Fact]
    public async Task CallbackDataOver64BytesIsRefused()
    {
        var keyboard = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Too much", new string('x', 65)));

        var refused = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendMessage(42, "Pick one", replyMarkup: keyboard, cancellationToken: Ct).WaitAsync(Timeout, Ct));

        Assert.Equal((400, "Bad Request: BUTTON_DATA_INVALID"), (refused.ErrorCode, refused.Message));
    }

    [Fact]
    public async Task UnknownMethodAnswers404AndAWrongTokenAnswers401()
    {
        using var http = new HttpClient();
        using var unknown = await http.PostAsync(new Uri($"{_fake.BaseUrl}/bot{_fake.Token}/sendHologram"), null, Ct).WaitAsync(Timeout, Ct);
        var unknownBody = await unknown.Content.ReadAsStringAsync(Ct).WaitAsync(Timeout, Ct);
        var wrongToken = await Assert.ThrowsAsync<ApiRequestException>(() => NewClient("999:wrong-token").GetMe(Ct).WaitAsync(Timeout, Ct));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("""{"ok":false,"error_code":404,"description":"Not Found: method not found"}""", unknownBody);
        Assert.Equal(401, wrongToken.ErrorCode);
    }

    [Fact]
    public async Task DelayNextHoldsTheAnswerBack()
    {
        _fake.DelayNext("getMe", TimeSpan.FromSeconds(1));
        var stopwatch = Stopwatch.StartNew();

        await _bot.GetMe(Ct).WaitAsync(Timeout, Ct);
        var delayed = stopwatch.Elapsed;
        stopwatch.Restart();
        await _bot.GetMe(Ct).WaitAsync(Timeout, Ct);
        var next = stopwatch.Elapsed;

        // A lower bound only (a delay never ends early, give or take the timer's granularity), and the next call
        // compared with the delayed one rather than with a clock: the machine may be busy.
        Assert.True(delayed >= TimeSpan.FromMilliseconds(990), $"answered after {delayed.TotalMilliseconds} ms");
        Assert.True(next < delayed, $"only the next call is delayed ({next.TotalMilliseconds} ms vs {delayed.TotalMilliseconds} ms)");
    }

    [Fact]
    public async Task WaitingForACallThatNeverComesTimesOutListingTheCalls()
    {
        await _bot.GetMe(Ct).WaitAsync(Timeout, Ct);
        await _bot.SendMessage(42, "Hi", cancellationToken: Ct).WaitAsync(Timeout, Ct);

        var waitForTwo = _fake.WaitForCallsAsync(c => c.Method == "sendMessage", 2, Timeout);
        await _bot.SendMessage(42, "Hi again", cancellationToken: Ct).WaitAsync(Timeout, Ct);
        var two = await waitForTwo.WaitAsync(Timeout, Ct);
        var timedOut = await Assert.ThrowsAsync<TimeoutException>(
            () => _fake.WaitForCallAsync(c => c.Method == "answerCallbackQuery", TimeSpan.FromMilliseconds(100)).WaitAsync(Timeout, Ct));

        Assert.Equal(["Hi", "Hi again"], two.Select(c => c.Text("text")));
        Assert.Contains("getMe, sendMessage(chat_id 42), sendMessage(chat_id 42)", timedOut.Message, StringComparison.Ordinal);

        _fake.ClearCalls();
        Assert.Empty(_fake.Calls);
    }

    private TelegramBotClient NewClient(string token, int retryThreshold = 60) =>
        new(new TelegramBotClientOptions(token, baseUrl: _fake.BaseUrl) { RetryThreshold = retryThreshold });

    /// <summary>Stands in for the bot's webhook endpoint: keeps what each POST carried.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<Delivery> _deliveries = [];

        private WebhookReceiver(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public IReadOnlyList<Delivery> Deliveries
        {
            get
            {
                lock (_deliveries)
                {
                    return [.. _deliveries];
                }
            }
        }

        public static async Task<WebhookReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Configuration.Sources.Clear();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var receiver = new WebhookReceiver(builder.Build());
            receiver._app.MapPost("/telegram/webhook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var delivery = new Delivery(
                    request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString(),
                    request.ContentType,
                    await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
                lock (receiver._deliveries)
                {
                    receiver._deliveries.Add(delivery);
                }

                return Results.Ok();
            });
            await receiver._app.StartAsync();
            receiver.Url = new Uri($"{receiver._app.Urls.Single()}/telegram/webhook");
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record Delivery(string SecretToken, string? ContentType, string Body);
}
