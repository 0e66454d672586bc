using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.Testing.FakeTelegram;

/// <summary>
/// A Bot API server on loopback that the real <c>TelegramBotClient</c> talks to over HTTP
/// (<c>new TelegramBotClient(new TelegramBotClientOptions(fake.Token, baseUrl: fake.BaseUrl))</c>).
/// It records every call, answers in Telegram's shapes, enforces the rules production enforces (HTML parse
/// mode, message length, "message is not modified", callback data size, file ids), and lets a test inject
/// failures, delays and blocked users, and deliver updates by long polling or to a webhook.
/// </summary>
/// <remarks>
/// The HTTP side lives here; the Bot API methods are in <c>FakeTelegramServer.Methods.cs</c>. All state is
/// guarded by one lock; signals are completed outside it, with continuations that run asynchronously.
/// </remarks>
public sealed partial class FakeTelegramServer : IAsyncDisposable
{
    /// <summary>A token in Telegram's <c>&lt;bot id&gt;:&lt;secret&gt;</c> shape; the bot's user id is 123456.</summary>
    public const string DefaultToken = "123456:TEST-token";

    /// <summary>The username <c>getMe</c> answers with.</summary>
    public const string BotUsername = "dev2prod_test_bot";

    /// <summary>The first name <c>getMe</c> answers with.</summary>
    public const string BotFirstName = "Dev2Prod Test Bot";

    /// <summary>The <see cref="RecordedCall.Method"/> of a file download (<c>GET /file/bot&lt;token&gt;/&lt;file_path&gt;</c>).</summary>
    public const string DownloadFileMethod = "downloadFile";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly Dictionary<string, Queue<Failure>> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<TimeSpan>> _delays = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<long> _blockedChats = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _webhookClient = new(new SocketsHttpHandler { UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private TaskCompletionSource _callRecorded = NewSignal();
    private WebApplication? _app;
    private bool _disposed;

    private FakeTelegramServer(string token, long botUserId)
    {
        Token = token;
        BotUserId = botUserId;
    }

    /// <summary>Base URL for <c>TelegramBotClientOptions</c>, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The only token the server accepts; any other answers 401 Unauthorized, like Telegram.</summary>
    public string Token { get; }

    /// <summary>The bot's user id: the digits before the colon of <see cref="Token"/>.</summary>
    public long BotUserId { get; }

    /// <summary>Every call since start (or <see cref="ClearCalls"/>), oldest first; a snapshot, safe to enumerate.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="token">The bot token the server accepts: <c>&lt;digits&gt;:&lt;text&gt;</c>, as Telegram.Bot requires.</param>
    public static async Task<FakeTelegramServer> StartAsync(string token = DefaultToken)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !long.TryParse(token.AsSpan(0, colon), out var botUserId) || token.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("A bot token looks like \"123456:secret\".", nameof(token));
        }

        var server = new FakeTelegramServer(token, botUserId);
        try
        {
            await server.StartServerAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The calls to <paramref name="method"/> (compared case-insensitively), oldest first.</summary>
    public IEnumerable<RecordedCall> CallsTo(string method) =>
        Calls.Where(call => string.Equals(call.Method, method, StringComparison.OrdinalIgnoreCase));

    /// <summary>Forgets the recorded calls; waits started afterwards only see later calls.</summary>
    public void ClearCalls()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    /// <summary>
    /// The first recorded call (since start or <see cref="ClearCalls"/>, earlier ones included) that matches;
    /// waits for it up to <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="TimeoutException">No call matched in time; the message lists the calls that were made.</exception>
    public async Task<RecordedCall> WaitForCallAsync(Func<RecordedCall, bool> match, TimeSpan timeout) =>
        (await WaitForCallsAsync(match, 1, timeout))[0];

    /// <summary>
    /// The first <paramref name="count"/> recorded calls (since start or <see cref="ClearCalls"/>, earlier ones
    /// included) that match; waits for them up to <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="TimeoutException">Fewer calls matched in time; the message lists the calls that were made.</exception>
    public async Task<IReadOnlyList<RecordedCall>> WaitForCallsAsync(Func<RecordedCall, bool> match, int count, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            List<RecordedCall> snapshot;
            Task recorded;
            lock (_gate)
            {
                snapshot = [.. _calls];
                recorded = _callRecorded.Task;
            }

            // The predicate runs outside the lock: it may read Calls itself.
            var matching = snapshot.Where(match).Take(count).ToList();
            if (matching.Count == count)
            {
                return matching;
            }

            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds:0.###} s for {count} matching call(s) to the fake Telegram server, " +
                    $"{matching.Count} matched. Calls recorded: {Describe(snapshot)}");
            }

            try
            {
                await recorded.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                // Checked once more above, then reported with the final list of calls.
            }
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="method"/> answer Telegram's error shape with
    /// HTTP status <paramref name="errorCode"/>, e.g. <c>FailNext("sendMessage", 429, "Too Many Requests: retry
    /// after 1", retryAfter: 1)</c>. The calls are recorded all the same.
    /// </summary>
    public void FailNext(string method, int errorCode, string description, int? retryAfter = null, int times = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentOutOfRangeException.ThrowIfLessThan(errorCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorCode, 599);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_gate)
        {
            var queue = _failures.TryGetValue(method, out var existing) ? existing : _failures[method] = new Queue<Failure>();
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(new Failure(errorCode, description, retryAfter));
            }
        }
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> are answered after <paramref name="delay"/>.</summary>
    public void DelayNext(string method, TimeSpan delay, int times = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_gate)
        {
            var queue = _delays.TryGetValue(method, out var existing) ? existing : _delays[method] = new Queue<TimeSpan>();
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(delay);
            }
        }
    }

    /// <summary>From now on, sending to or editing in <paramref name="chatId"/> answers 403 "Forbidden: bot was blocked by the user".</summary>
    public void BlockUser(long chatId)
    {
        lock (_gate)
        {
            _blockedChats.Add(chatId);
        }
    }

    /// <summary>Undoes <see cref="BlockUser"/>.</summary>
    public void UnblockUser(long chatId)
    {
        lock (_gate)
        {
            _blockedChats.Remove(chatId);
        }
    }

    /// <summary>
    /// Delivers an update the way Telegram does with a webhook: a POST of the JSON with content type
    /// <c>application/json</c> and, when <paramref name="secretToken"/> is not null, the
    /// <c>X-Telegram-Bot-Api-Secret-Token</c> header. The caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> PostToWebhookAsync(Uri webhookUrl, string updateJson, string? secretToken)
    {
        ArgumentNullException.ThrowIfNull(webhookUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl)
        {
            Content = new StringContent(updateJson, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secretToken is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secretToken);
        }

        return await _webhookClient.SendAsync(request, _stopping.Token);
    }

    /// <summary>
    /// Checks <paramref name="text"/> the way Telegram checks <c>parse_mode=HTML</c>: null when Telegram would
    /// accept it, otherwise the reason (the part after "Bad Request: can't parse entities: ").
    /// </summary>
    public static string? ValidateHtml(string text) => TelegramHtml.Parse(text).Error;

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // Ends long polls and injected delays first so Kestrel can stop without waiting for them.
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposal below closes what is left.
            }

            await _app.DisposeAsync();
        }

        _webhookClient.Dispose();
        _stopping.Dispose();
    }

    private async Task StartServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });

        // Nothing from the test host's configuration (appsettings.json copied from the services, ASPNETCORE_URLS,
        // Kestrel endpoints) may reach this server: it listens where it is told and nowhere else.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

        _app = builder.Build();
        _app.Run(HandleAsync);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StartAsync(timeout.Token);
        var address = _app.Urls.Single();
        BaseUrl = address.TrimEnd('/');
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        try
        {
            if (path.StartsWith("/file/bot", StringComparison.Ordinal))
            {
                await ServeFileAsync(context, path["/file/bot".Length..]);
                return;
            }

            var result = path.StartsWith("/bot", StringComparison.Ordinal)
                ? await HandleMethodAsync(context, path["/bot".Length..])
                : ApiResult.Error(404, "Not Found");
            await WriteAsync(context, result, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // The client went away or the server is stopping: nobody reads an answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // Surfaces in the client as an ApiRequestException naming the fake's own bug.
            var result = ApiResult.Error(500, $"Internal Server Error: the fake Telegram server failed: {ex.GetType().Name}: {ex.Message}");
            await WriteAsync(context, result, CancellationToken.None);
        }
    }

    private static async Task WriteAsync(HttpContext context, ApiResult result, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = result.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.Body.ToJsonString(), cancellationToken);
    }

    /// <summary><c>/bot&lt;token&gt;/&lt;method&gt;</c>: record, apply injected delays and failures, then answer.</summary>
    private async Task<ApiResult> HandleMethodAsync(HttpContext context, string tokenAndMethod)
    {
        var slash = tokenAndMethod.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || tokenAndMethod[..slash] != Token)
        {
            return ApiResult.Error(401, "Unauthorized");
        }

        var method = tokenAndMethod[(slash + 1)..];
        if (method.Length == 0 || method.Contains('/', StringComparison.Ordinal))
        {
            return ApiResult.Error(404, "Not Found: method not found");
        }

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        JsonObject parameters;
        IReadOnlyList<RequestParameters.Upload> uploads;
        try
        {
            (parameters, uploads) = await RequestParameters.ReadAsync(context.Request, aborted.Token);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            Record(method, new JsonObject());
            return ApiResult.BadRequest("can't parse JSON object");
        }

        Record(method, (JsonObject)parameters.DeepClone());

        var delay = Dequeue(_delays, method);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, aborted.Token);
        }

        var failure = Dequeue(_failures, method);
        if (failure is not null)
        {
            return ApiResult.Error(
                failure.ErrorCode,
                failure.Description,
                failure.RetryAfter is { } retryAfter ? new JsonObject { ["retry_after"] = retryAfter } : null);
        }

        if (IsDelivery(method) && RequestParameters.GetLong(parameters, "chat_id") is { } chatId && IsBlocked(chatId))
        {
            return ApiResult.Error(403, "Forbidden: bot was blocked by the user");
        }

        return await InvokeAsync(method, parameters, uploads, aborted.Token);
    }

    /// <summary>Methods that put something into a chat, which a user who blocked the bot refuses.</summary>
    private static bool IsDelivery(string method) =>
        method.StartsWith("send", StringComparison.OrdinalIgnoreCase)
        || method.StartsWith("editMessage", StringComparison.OrdinalIgnoreCase)
        || method.StartsWith("copyMessage", StringComparison.OrdinalIgnoreCase)
        || method.StartsWith("forwardMessage", StringComparison.OrdinalIgnoreCase);

    private bool IsBlocked(long chatId)
    {
        lock (_gate)
        {
            return _blockedChats.Contains(chatId);
        }
    }

    private T? Dequeue<T>(Dictionary<string, Queue<T>> queues, string method)
    {
        lock (_gate)
        {
            return queues.TryGetValue(method, out var queue) && queue.TryDequeue(out var next) ? next : default;
        }
    }

    private void Record(string method, JsonObject parameters)
    {
        TaskCompletionSource recorded;
        lock (_gate)
        {
            _calls.Add(new RecordedCall(method, parameters, DateTimeOffset.UtcNow));
            recorded = _callRecorded;
            _callRecorded = NewSignal();
        }

        recorded.TrySetResult();
    }

    private static string Describe(List<RecordedCall> calls) =>
        calls.Count == 0
            ? "none"
            : string.Join(", ", calls.Select(call => call.ChatId is { } chatId ? $"{call.Method}(chat_id {chatId})" : call.Method));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Failure(int ErrorCode, string Description, int? RetryAfter);
}
