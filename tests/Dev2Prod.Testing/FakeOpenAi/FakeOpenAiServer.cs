using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.Testing.FakeOpenAi;

/// <summary>One chat completion request as the fake received it.</summary>
public sealed record ChatCompletionRequest(string? Authorization, JsonObject Body)
{
    /// <summary>When the request arrived.</summary>
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    public string? Model => Body["model"]?.GetValue<string>();

    /// <summary>Every message's content, in order (system first).</summary>
    public IReadOnlyList<(string Role, string Content)> Messages =>
        [.. (Body["messages"] as JsonArray ?? []).Select(m => (m?["role"]?.GetValue<string>() ?? "", ContentOf(m?["content"])))];

    public string LastUserMessage => Messages.Last(m => m.Role == "user").Content;

    private static string ContentOf(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };
}

/// <summary>What the fake answers: a completion with usage, or an HTTP error.</summary>
public sealed record ChatCompletionReply(string Content = "", int PromptTokens = 100, int CompletionTokens = 20, int Status = 200);

/// <summary>
/// An OpenAI-compatible chat completions server on loopback (<c>POST {BaseUrl}/chat/completions</c>) that the
/// real OpenAI client behind Microsoft.Extensions.AI talks to. Records requests (body and Authorization
/// header), answers through a replaceable responder, and lets a test inject HTTP failures or hold requests.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ChatCompletionRequest> _requests = [];
    private readonly Queue<int> _failures = new();
    private WebApplication? _app;
    private TaskCompletionSource? _hold;

    /// <summary>The endpoint for <c>Llm:BaseUrl</c>, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Answers a request; by default "Answer to: {question}" with 100 prompt and 20 completion tokens.</summary>
    public Func<ChatCompletionRequest, ChatCompletionReply> Responder { get; set; } =
        request => new ChatCompletionReply($"Answer to: {request.LastUserMessage}");

    /// <summary>Every status (e.g. 500) in <see cref="FailAlwaysWith"/> mode, else null.</summary>
    public int? FailAlwaysWith { get; set; }

    public IReadOnlyList<ChatCompletionRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests answer <paramref name="status"/>.</summary>
    public void FailNext(int count, int status = 500)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(status);
            }
        }
    }

    /// <summary>Requests arriving from now on wait until <see cref="Release"/> (or the client gives up).</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _hold?.TrySetResult();
            _hold = null;
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were received.</summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} chat completion requests, got {Requests.Count}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var server = new FakeOpenAiServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.Run(server.HandleAsync);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await server._app.StartAsync(timeout.Token);
        server.BaseUrl = server._app.Urls.Single().TrimEnd('/') + "/v1";
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method != "POST" || context.Request.Path.Value?.TrimEnd('/') != "/v1/chat/completions")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var request = new ChatCompletionRequest(context.Request.Headers.Authorization.ToString(), body);
        Task? hold;
        int? failure;
        lock (_gate)
        {
            _requests.Add(request);
            hold = _hold?.Task;
            failure = _failures.Count > 0 ? _failures.Dequeue() : FailAlwaysWith;
        }

        if (hold is not null)
        {
            await hold.WaitAsync(context.RequestAborted);
        }

        var reply = failure is { } status ? new ChatCompletionReply(Status: status) : Responder(request);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        if (reply.Status != 200)
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message = "injected failure", type = "server_error" } }));
            return;
        }

        var answer = new
        {
            id = $"chatcmpl-{Guid.NewGuid():N}",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request.Model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = reply.PromptTokens, completion_tokens = reply.CompletionTokens, total_tokens = reply.PromptTokens + reply.CompletionTokens },
        };
        await context.Response.WriteAsync(JsonSerializer.Serialize(answer));
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
