using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeOpenAi;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dev2Prod.IntegrationTests.Monitoring;

/// <summary>
/// A real Prometheus (the Debian package's server) scrapes a running Api and Worker (their built assemblies,
/// started as in Kubernetes) while a short conversation goes through the webhook, and every metric the seed names
/// can be queried from Prometheus's HTTP API under its exact name and labels.
/// </summary>
public sealed class PrometheusScrapeTests(StackFixture stack)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    // Two services loading the sentence encoder on a busy CI machine can take minutes to get ready.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private const string Secret = "prometheus-test-secret";
    private const long UserId = 840_211;

    /// <summary>
    /// Metric (as Prometheus stores it; histograms by their <c>_bucket</c> series) -> the jobs that must export it.
    /// </summary>
    public static readonly Dictionary<string, string[]> ExpectedMetrics = new()
    {
        ["http_requests_total"] = ["api", "worker"],
        ["http_request_duration_seconds_bucket"] = ["api", "worker"],
        ["conversations_started_total"] = ["api"],
        ["messages_processed_total"] = ["api", "worker"],
        ["leads_created_total"] = ["api"],
        ["db_connection_pool_usage"] = ["api", "worker"],
        ["db_query_duration_seconds_bucket"] = ["api", "worker"],
        ["redis_operations_total"] = ["api", "worker"],
        ["rate_limit_exceeded_total"] = ["api"],
        ["llm_requests_total"] = ["worker"],
        ["llm_response_time_seconds_bucket"] = ["worker"],
        ["llm_tokens_used_total"] = ["worker"],
        ["llm_daily_cost_usd"] = ["worker"],
        ["conversations_escalated_total"] = ["api"],
        // Beyond the seed: what the extra alerts and dashboard panels read.
        ["telegram_webhook_rejected_total"] = ["api"],
        ["telegram_outbox_pending"] = ["worker"],
        ["llm_dead_letter_jobs"] = ["worker"],
        ["conversations_active"] = ["worker"],
    };

    [Fact]
    public async Task EverySeedMetricIsScrapedAfterAShortConversation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var model = await FakeOpenAiServer.StartAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync(ResourceNames.Database))
        {
            Database = $"prometheus_{Guid.NewGuid():N}",
        }.ConnectionString;
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__botdb"] = connectionString,
            // A Redis database of its own: the stack's Worker shares database 0 and would take the assistant's job.
            ["ConnectionStrings__redis"] = await Gateway.GatewayHost.IsolatedRedisAsync(stack),
            // Required outside Development (the attachments volume in production).
            ["Files__Root"] = Path.Combine(Path.GetTempPath(), $"dev2prod-files-{Guid.NewGuid():N}"),
            ["Telegram__BotToken"] = telegram.Token,
            ["Telegram__ApiBaseUrl"] = telegram.BaseUrl,
            ["Telegram__Mode"] = "Webhook",
            ["Telegram__WebhookSecret"] = Secret,
            ["Telegram__RegisterWebhookOnStart"] = "false",
            ["Telegram__Sending__PerChatPerSecond"] = "100",
            ["Telegram__Sending__PerChatBurst"] = "100",
            ["Llm__BaseUrl"] = model.BaseUrl,
            ["Llm__ApiKey"] = "prometheus-test-key",
            // /start, a question for the assistant, the intake's four messages and one more; the next runs into the limit.
            ["Telegram__UserLimits__MessagesPerHour"] = "7",
        };

        await using var api = ServiceProcess.Start("Dev2Prod.Api", environment);
        Assert.True(await api.WaitUntilHealthyAsync(StartTimeout), $"Api did not become healthy:\n{api.Output}");
        await using var worker = ServiceProcess.Start("Dev2Prod.Worker", environment);
        Assert.True(await worker.WaitUntilHealthyAsync(StartTimeout), $"Worker did not become healthy:\n{worker.Output}");
        // The Worker grounds answers in the knowledge base it builds after start-up (tens of seconds on a busy
        // machine): the assistant's question waits until it is ready, so the scripted steps keep their bound.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!worker.Output.Contains("FAQ knowledge version", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, ct);
        }

        await using var prometheus = await PrometheusServer.StartAsync(new() { ["api"] = api.BaseAddress, ["worker"] = worker.BaseAddress });

        var chat = new ScriptedChat(telegram, new Uri(api.BaseAddress, "/telegram/webhook"), connectionString, UserId);
        try
        {
            await chat.SendAsync("/start");
            await chat.PressAsync("llm:ask");
            await chat.SendAsync("Could you compare event sourcing with a plain CRUD design for our booking system?");
            Assert.NotEmpty(model.Requests);
            await chat.SendAsync("/project");
            await chat.PressAsync("intake:type:web");
            await chat.SendAsync("A booking portal for 12 clinics with online payments and a staff dashboard.");
            await chat.PressAsync("intake:budget:50-150k");
            await chat.PressAsync("intake:timeline:asap");
            await chat.SendAsync("Jane Doe, Acme Ltd");
            await chat.PressAsync("intake:decision:yes");
            await chat.SendAsync("jane@acme.example, +1 415 555 2671");
            await chat.PressAsync("intake:summary:confirm");
            await chat.SendWithoutReplyAsync("thanks!");
            await chat.SendWithoutReplyAsync("one more thing");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- api:\n{api.Output}\n--- worker:\n{worker.Output}", e);
        }

        using (var rejected = await telegram.PostToWebhookAsync(new Uri(api.BaseAddress, "/telegram/webhook"), Updates.Text(1, UserId, "x"), "wrong-secret"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }

        using (var http = new HttpClient { BaseAddress = api.BaseAddress })
        using (var unknown = await http.GetAsync(new Uri("/wp-login.php?probe=8812731", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var missing = await prometheus.WaitForMetricsAsync(ExpectedMetrics, Timeout);
        Assert.True(missing.Count == 0, $"not scraped:\n{string.Join("\n", missing)}\n--- api:\n{api.Output}\n--- worker:\n{worker.Output}");

        // Labels: the route template, a fixed label for unmatched paths, never the raw path.
        var endpoints = await prometheus.LabelValuesAsync("http_requests_total", "endpoint");
        Assert.Contains("/telegram/webhook", endpoints);
        Assert.Contains("unmatched", endpoints);
        Assert.DoesNotContain(endpoints, e => e.Contains("wp-login", StringComparison.Ordinal));
        Assert.Contains("401", await prometheus.LabelValuesAsync("http_requests_total{endpoint=\"/telegram/webhook\"}", "status"));
        var scores = await prometheus.LabelValuesAsync("leads_created_total", "score");
        Assert.NotEmpty(scores);
        Assert.Subset(new HashSet<string> { "hot", "warm", "cold" }, scores.ToHashSet());
        var senders = (await prometheus.LabelValuesAsync("messages_processed_total", "sender_type")).ToHashSet();
        Assert.Superset(new HashSet<string> { "user", "bot" }, senders);
        Assert.Subset(new HashSet<string> { "user", "bot", "llm", "agent" }, senders);
        Assert.Contains("user", await prometheus.LabelValuesAsync("rate_limit_exceeded_total", "user_type"));
        Assert.Superset(new HashSet<string> { "select", "insert", "update" }, (await prometheus.LabelValuesAsync("db_query_duration_seconds_bucket", "operation")).ToHashSet());
        Assert.Contains("success", await prometheus.LabelValuesAsync("redis_operations_total", "status"));
    }

    /// <summary>One user chatting through the webhook; waits for each update to be handled and answered.</summary>
    private sealed class ScriptedChat(FakeTelegramServer telegram, Uri webhook, string connectionString, long userId)
    {
        private long _updateId = userId * 1_000;

        public Task SendAsync(string text) => ActAsync(Updates.Text(++_updateId, userId, text), expectReply: true);

        public Task SendWithoutReplyAsync(string text) => ActAsync(Updates.Text(++_updateId, userId, text), expectReply: false);

        public async Task PressAsync(string data)
        {
            var text = "";
            await PollAsync(() =>
            {
                var message = telegram.CallsTo("sendMessage").LastOrDefault(m =>
                    m.ChatId == userId && m.Json("reply_markup")?.ToJsonString().Contains(data, StringComparison.Ordinal) == true);
                text = message?.Text("text") ?? "";
                return Task.FromResult(message is null ? null : (int?)1);
            });
            var messageId = await PollAsync(() => QueryAsync(db => db.Messages
                .Where(m => m.TelegramChatId == userId && m.Direction == MessageDirection.Outbound && m.Text == text)
                .OrderByDescending(m => m.Id).Select(m => m.TelegramMessageId).FirstOrDefaultAsync()));
            await ActAsync(Updates.Callback(++_updateId, userId, data, messageId), expectReply: true);
        }

        private async Task ActAsync(string update, bool expectReply)
        {
            var before = telegram.CallsTo("sendMessage").Count(m => m.ChatId == userId);
            using (var response = await telegram.PostToWebhookAsync(webhook, update, Secret))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await PollAsync(async () => await QueryAsync(db => db.InboundUpdates.AnyAsync(u => u.Status == InboxStatus.Pending || u.Status == InboxStatus.Processing)) ? null : (int?)1);
            if (expectReply)
            {
                await PollAsync(() => Task.FromResult(telegram.CallsTo("sendMessage").Count(m => m.ChatId == userId) > before ? (int?)1 : null));
            }

            await PollAsync(async () => await QueryAsync(db => db.OutboundMessages.AnyAsync(m => m.Status == OutboxStatus.Pending || m.Status == OutboxStatus.Sending)) ? null : (int?)1);
        }

        private async Task<T> QueryAsync<T>(Func<BotDbContext, Task<T>> query)
        {
            var options = new DbContextOptionsBuilder<BotDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options;
            await using var db = new BotDbContext(options);
            return await query(db);
        }

        private static async Task<int> PollAsync(Func<Task<int?>> probe)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (await probe() is { } value)
                {
                    return value;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException("The conversation step was not handled in time");
        }
    }
}

/// <summary>
/// Prometheus from the Debian package (<c>/usr/bin/prometheus</c>), scraping the given targets every second into
/// a throw-away data directory, on a free loopback port.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusServer> StartAsync(Dictionary<string, Uri> targets)
    {
        var directory = Directory.CreateTempSubdirectory("dev2prod-prometheus-").FullName;
        var jobs = string.Join("\n", targets.Select(t => $"""
              - job_name: {t.Key}
                static_configs:
                  - targets: ["{t.Value.Authority}"]
            """));
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
            {jobs}
            """);
        var port = ServiceProcess.FreeTcpPort();
        var info = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var ready = await server._http.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("prometheus did not become ready (is the Debian package 'prometheus' installed?)");
    }

    /// <summary>Waits until every metric has series from each of its jobs; returns what is still missing.</summary>
    public async Task<List<string>> WaitForMetricsAsync(IReadOnlyDictionary<string, string[]> expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<string> missing;
        do
        {
            missing = [];
            foreach (var (metric, jobs) in expected)
            {
                var present = await LabelValuesAsync(metric, "job");
                missing.AddRange(jobs.Where(job => !present.Contains(job)).Select(job => $"{metric} from {job}"));
            }

            if (missing.Count == 0)
            {
                return missing;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        return missing;
    }

    /// <summary>The values of <paramref name="label"/> across the current series of a selector (instant query).</summary>
    public async Task<List<string>> LabelValuesAsync(string selector, string label)
    {
        var query = Uri.EscapeDataString($"group by ({label}) ({selector})");
        var json = JsonNode.Parse(await _http.GetStringAsync(new Uri($"/api/v1/query?query={query}", UriKind.Relative)))!;
        Assert.Equal("success", json["status"]?.GetValue<string>());
        return json["data"]!["result"]!.AsArray()
            .Select(series => series!["metric"]?[label]?.GetValue<string>())
            .OfType<string>()
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned up eventually.
        }
    }
}
