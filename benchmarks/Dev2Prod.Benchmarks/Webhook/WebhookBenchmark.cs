using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;

namespace Dev2Prod.Benchmarks.Webhook;

/// <summary>
/// Load on the Telegram webhook: starts the whole stack (Postgres, Redis, Api, Worker, Admin) with the AppHost,
/// points the Api and Worker at a fake Bot API server on loopback, POSTs N real-shaped updates (each from its
/// own user, so each gets one reply) with C concurrent connections, and prints throughput and latency of the
/// webhook response and of webhook-to-sendMessage (the time until the reply reached the fake Telegram).
/// </summary>
internal sealed class WebhookBenchmark : IBenchmark
{
    public string Name => "webhook";

    public string Description => "webhook throughput and latency, and webhook-to-reply latency (--updates N --concurrency C)";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var count = int.Parse(Measure.Option(args, "--updates") ?? "2000", System.Globalization.CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Measure.Option(args, "--concurrency") ?? "40", System.Globalization.CultureInfo.InvariantCulture);

        await using var telegram = await FakeTelegramServer.StartAsync();
        var stack = new BenchmarkStack(telegram);
        Console.WriteLine("Starting the stack (executables mode)...");
        await stack.InitializeAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = stack.EndpointOf(ResourceNames.Api), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.ConnectionClose = false;

            // Warm-up: JIT, connection pools, first migrations are done; a few updates settle the rest.
            await PostAllAsync(http, 50, concurrency, 1, null, ct);
            await telegram.WaitForCallsAsync(c => c.Method == "sendMessage" && c.ChatId < 2_000_000, 50, TimeSpan.FromSeconds(60));

            var posted = new ConcurrentDictionary<long, long>();
            var started = Stopwatch.GetTimestamp();
            var responseTimes = await PostAllAsync(http, count, concurrency, 10_000_000, posted, ct);
            var elapsed = Stopwatch.GetElapsedTime(started);

            Console.WriteLine($"Waiting for {count} replies at the fake Telegram server...");
            var replies = await telegram.WaitForCallsAsync(c => c.Method == "sendMessage" && c.ChatId >= 10_000_000, count, TimeSpan.FromMinutes(10));
            var toReply = replies
                .Where(r => posted.ContainsKey(r.ChatId!.Value))
                .Select(r => (r.At - new DateTimeOffset(posted[r.ChatId!.Value], TimeSpan.Zero)).TotalMilliseconds)
                .Order().ToList();
            var lastReply = replies.Max(r => r.At);

            var sorted = responseTimes.Order().ToList();
            Console.WriteLine();
            Console.WriteLine($"webhook: {count} updates, {concurrency} concurrent connections");
            Console.WriteLine($"  throughput        {count / elapsed.TotalSeconds,8:F0} updates/s ({elapsed.TotalSeconds:F1} s)");
            Console.WriteLine($"  response p50/p95/p99  {Measure.Percentile(sorted, 50):F1} / {Measure.Percentile(sorted, 95):F1} / {Measure.Percentile(sorted, 99):F1} ms");
            Console.WriteLine($"webhook -> sendMessage at the fake server (one reply per update)");
            Console.WriteLine($"  p50/p95/p99       {Measure.Percentile(toReply, 50):F0} / {Measure.Percentile(toReply, 95):F0} / {Measure.Percentile(toReply, 99):F0} ms");
            var replySpan = (lastReply - new DateTimeOffset(posted.Values.Min(), TimeSpan.Zero)).TotalSeconds;
            Console.WriteLine($"  replies/s         {count / replySpan,8:F1} (Telegram's global limit, Telegram:Sending:GlobalPerSecond, caps this at 30/s by default)");
            return 0;
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    private static async Task<List<double>> PostAllAsync(HttpClient http, int count, int concurrency, long firstUserId,
        ConcurrentDictionary<long, long>? posted, CancellationToken ct)
    {
        var times = new ConcurrentBag<double>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                var userId = firstUserId + i;
                var json = Updates.Text(firstUserId + i, userId, "/start", firstName: $"User{i}");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
                {
                    Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                };
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", StackFixture.WebhookSecret);
                posted?.TryAdd(userId, DateTime.UtcNow.Ticks);
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                times.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}");
                }
            }
        }));
        return [.. times];
    }

    /// <summary>The AppHost stack with Telegram enabled against the fake server, in webhook mode.</summary>
    private sealed class BenchmarkStack(FakeTelegramServer telegram) : StackFixture
    {
        protected override IEnumerable<string> ExtraArguments =>
        [
            $"--Parameters:telegram-bot-token={telegram.Token}",
            $"--Parameters:telegram-api-base-url={telegram.BaseUrl}",
            "--Parameters:telegram-webhook-url=https://bench.example.com/telegram/webhook",
        ];
    }
}
