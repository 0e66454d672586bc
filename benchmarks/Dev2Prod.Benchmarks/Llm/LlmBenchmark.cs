using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeOpenAi;
using Dev2Prod.Testing.FakeTelegram;
using Npgsql;
using StackExchange.Redis;

namespace Dev2Prod.Benchmarks.Llm;

/// <summary>
/// Overhead of the LLM path with a model that answers instantly: the stack's Postgres and Redis, the Api and
/// Worker as real processes (own database, own Redis database) against the fake Bot API and a fake
/// OpenAI-compatible server. Prints webhook-to-reply latency (question posted to the answer's sendMessage at
/// the fake Telegram) and jobs/s through one and two Workers (a backlog queued while no Worker runs, timed
/// from the first to the last model request).
/// </summary>
internal sealed class LlmBenchmark : IBenchmark
{
    public string Name => "llm";

    public string Description => "LLM path: webhook -> reply p50/p95 and jobs/s with one and two workers (--questions N --backlog M)";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var questions = int.Parse(Measure.Option(args, "--questions") ?? "200", System.Globalization.CultureInfo.InvariantCulture);
        var backlog = int.Parse(Measure.Option(args, "--backlog") ?? "300", System.Globalization.CultureInfo.InvariantCulture);

        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var model = await FakeOpenAiServer.StartAsync();
        var stack = new StackFixture();
        Console.WriteLine("Starting Postgres and Redis (executables mode)...");
        await stack.InitializeAsync();
        try
        {
            var environment = await EnvironmentAsync(stack, telegram, model);
            await using var api = ServiceProcess.Start("Dev2Prod.Api", environment);
            await RequireHealthyAsync(api);
            using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            // 1. Latency with one Worker, questions posted one after another (4 in flight).
            var worker1 = ServiceProcess.Start("Dev2Prod.Worker", environment);
            await RequireHealthyAsync(worker1);
            await AskAllAsync(http, 20, 1_000_000, 4, ct); // warm-up
            await telegram.WaitForCallsAsync(IsAnswer(1_000_000, 20), 20, TimeSpan.FromMinutes(2));
            var posted = new System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset>();
            await AskAllAsync(http, questions, 2_000_000, 4, ct, posted);
            var replies = await telegram.WaitForCallsAsync(IsAnswer(2_000_000, questions), questions, TimeSpan.FromMinutes(5));
            var latencies = replies.Select(r => (r.At - posted[r.ChatId!.Value]).TotalMilliseconds).Order().ToList();
            Console.WriteLine();
            Console.WriteLine($"llm: webhook -> answer at the fake Telegram, {questions} questions, 4 in flight, 1 worker, instant model");
            Console.WriteLine($"  p50/p95/p99       {Measure.Percentile(latencies, 50):F0} / {Measure.Percentile(latencies, 95):F0} / {Measure.Percentile(latencies, 99):F0} ms");

            // 2. Throughput: a backlog queued with no Worker running, then drained by one, then by two Workers.
            await worker1.DisposeAsync();
            foreach (var (workers, firstUser) in new[] { (1, 3_000_000L), (2, 4_000_000L) })
            {
                await AskAllAsync(http, backlog, firstUser, 16, ct);
                await WaitForQueuedAsync(environment, backlog, ct);
                var before = model.Requests.Count;
                var started = new List<ServiceProcess>();
                for (var i = 0; i < workers; i++)
                {
                    started.Add(ServiceProcess.Start("Dev2Prod.Worker", environment));
                }

                await model.WaitForRequestsAsync(before + backlog, TimeSpan.FromMinutes(10));
                var batch = model.Requests.Skip(before).ToList();
                var span = (batch.Max(r => r.At) - batch.Min(r => r.At)).TotalSeconds;
                await telegram.WaitForCallsAsync(IsAnswer(firstUser, backlog), backlog, TimeSpan.FromMinutes(10));
                Console.WriteLine($"  {workers} worker(s): {backlog} queued jobs in {span:F1} s = {backlog / span:F1} jobs/s (first to last model call)");
                foreach (var w in started)
                {
                    await w.DisposeAsync();
                }
            }

            return 0;
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    private static Func<RecordedCall, bool> IsAnswer(long firstUser, int count) => c =>
        c.Method == "sendMessage" && c.ChatId >= firstUser && c.ChatId < firstUser + count
        && (c.Text("text") ?? "").StartsWith("Answer to:", StringComparison.Ordinal);

    private static async Task RequireHealthyAsync(ServiceProcess service)
    {
        if (!await service.WaitUntilHealthyAsync(TimeSpan.FromMinutes(2)))
        {
            throw new InvalidOperationException($"service did not become healthy:\n{service.Output}");
        }
    }

    private static async Task<Dictionary<string, string?>> EnvironmentAsync(StackFixture stack, FakeTelegramServer telegram, FakeOpenAiServer model)
    {
        var database = new NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync(ResourceNames.Database)) { Database = $"bench_llm_{Guid.NewGuid():N}" };
        var redis = $"{await stack.ConnectionStringAsync(ResourceNames.Redis)},defaultDatabase=9";
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true"))
        {
            await connection.GetServer(connection.GetEndPoints()[0]).FlushDatabaseAsync(9);
        }

        return new()
        {
            ["ConnectionStrings__botdb"] = database.ConnectionString,
            ["ConnectionStrings__redis"] = redis,
            ["Telegram__BotToken"] = telegram.Token,
            ["Telegram__ApiBaseUrl"] = telegram.BaseUrl,
            ["Telegram__Mode"] = "Webhook",
            ["Telegram__WebhookSecret"] = StackFixture.WebhookSecret,
            ["Telegram__RegisterWebhookOnStart"] = "false",
            ["Telegram__Sending__GlobalPerSecond"] = "10000",
            ["Llm__BaseUrl"] = model.BaseUrl,
            ["Llm__ApiKey"] = "bench-key",
            ["Llm__Concurrency"] = "8",
            ["Llm__UserDailyQuota"] = "1000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    /// <summary>Waits until the Api has queued <paramref name="count"/> new jobs (no Worker is running).</summary>
    private static async Task WaitForQueuedAsync(Dictionary<string, string?> environment, int count, CancellationToken ct)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(environment["ConnectionStrings__redis"]!);
        var db = redis.GetDatabase();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var groups = await db.StreamGroupInfoAsync("dev2prod:llm:jobs");
            var lag = groups.FirstOrDefault(g => g.Name == "llm-workers").Lag ?? 0;
            if (lag >= count)
            {
                return;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException("jobs were not queued in time");
    }

    private static async Task AskAllAsync(HttpClient http, int count, long firstUser, int concurrency, CancellationToken ct,
        System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset>? posted = null)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var user = firstUser + i;
                await PostAsync(http, Updates.Callback(user * 2, user, "llm:ask", messageId: 1), ct);
                posted?.TryAdd(user, DateTimeOffset.UtcNow);
                await PostAsync(http, Updates.Text((user * 2) + 1, user, $"Benchmark question {i}?"), ct);
            }
        }));
    }

    private static async Task PostAsync(HttpClient http, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", StackFixture.WebhookSecret);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}");
        }
    }
}
