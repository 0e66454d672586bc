extern alias api;
extern alias worker;

using System.Net.Http.Headers;
using System.Text;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;
using InboxWriterMarker = api::Dev2Prod.Api.Features.Telegram.InboxWriter;

namespace Dev2Prod.IntegrationTests.Gateway;

/// <summary>
/// The Api and the Worker hosted in-process against the real Postgres and Redis of the stack, each test with
/// its own database and Redis database, and the real Telegram.Bot client talking to a fake Bot API server on
/// loopback. Postgres is reached through a <see cref="TcpProxy"/> so a test can make it unreachable.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string Secret = "gateway-test-secret";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static int _redisDatabase;

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureApiServices;
    private readonly bool _isolatedKnowledge;
    private WebApplicationFactory<InboxWriterMarker>? _api;
    private WebApplicationFactory<worker::Program>? _worker;

    private GatewayHost(FakeTelegramServer telegram, TcpProxy postgresProxy, string connectionString, string redisConnectionString,
        Dictionary<string, string?> settings, FakeTimeProvider? time, Action<IServiceCollection>? configureApiServices, bool isolatedKnowledge)
    {
        _configureApiServices = configureApiServices;
        _isolatedKnowledge = isolatedKnowledge;
        Telegram = telegram;
        PostgresProxy = postgresProxy;
        ConnectionString = connectionString;
        RedisConnectionString = redisConnectionString;
        _settings = settings;
        Time = time;
    }

    public FakeTelegramServer Telegram { get; }
    public TcpProxy PostgresProxy { get; }
    public string ConnectionString { get; }
    public string RedisConnectionString { get; }
    public FakeTimeProvider? Time { get; }
    public LogCapture ApiLogs { get; } = new();
    public LogCapture WorkerLogs { get; } = new();

    public HttpClient Api => (_api ?? throw new InvalidOperationException("Api not started")).CreateClient();

    public IServiceProvider ApiServices => _api!.Services;

    public IServiceProvider WorkerServices => (_worker ?? throw new InvalidOperationException("Worker not started")).Services;

    /// <summary>HTTP client of the running Worker (its /metrics, /health).</summary>
    public HttpClient WorkerHttp => (_worker ?? throw new InvalidOperationException("Worker not started")).CreateClient();

    /// <summary>
    /// Configuration every Worker of this host reads last (highest priority); setting a value raises the reload
    /// token, as a mounted secret file with reload-on-change does in production.
    /// </summary>
    public RuntimeSettings WorkerRuntimeSettings { get; } = new();

    /// <summary>Starts one more Worker replica (same settings, its own consumer); dispose it to stop it.</summary>
    public WebApplicationFactory<worker::Program> StartExtraWorker()
    {
        var extra = Configure(new WebApplicationFactory<worker::Program>(), WorkerLogs, runtimeSettings: WorkerRuntimeSettings);
        _ = extra.Services;
        return extra;
    }

    /// <summary>
    /// Starts the Api (and, unless told otherwise, the Worker) with the given extra settings;
    /// <paramref name="configureTelegram"/> prepares the fake Bot API server before either starts.
    /// </summary>
    public static async Task<GatewayHost> StartAsync(StackFixture stack, IDictionary<string, string?>? settings = null,
        bool startWorker = true, FakeTimeProvider? time = null, Action<IServiceCollection>? configureApiServices = null,
        bool isolatedKnowledge = false, Action<FakeTelegramServer>? configureTelegram = null)
    {
        var telegram = await FakeTelegramServer.StartAsync();

        // Before the services start: what they ask Telegram at start-up (e.g. whether a group is a forum) is set up.
        configureTelegram?.Invoke(telegram);
        var stackDb = new NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync(ResourceNames.Database));
        var proxy = new TcpProxy(stackDb.Host!, stackDb.Port);
        var connectionString = new NpgsqlConnectionStringBuilder(stackDb.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            Database = $"gw_{Guid.NewGuid():N}",
            Timeout = 3,
            CommandTimeout = 10,
        }.ConnectionString;

        var redisConnectionString = await IsolatedRedisAsync(stack);

        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:botdb"] = connectionString,
            ["ConnectionStrings:redis"] = redisConnectionString,
            ["Telegram:BotToken"] = telegram.Token,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:RegisterWebhookOnStart"] = "false",
            ["Telegram:Sending:ClaimLease"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new GatewayHost(telegram, proxy, connectionString, redisConnectionString, all, time, configureApiServices, isolatedKnowledge);
        host._api = host.Configure(new WebApplicationFactory<InboxWriterMarker>(), host.ApiLogs, host._configureApiServices);
        _ = host._api.Services; // starts the host: migrations, inbox processor, receivers
        if (startWorker)
        {
            await host.StartWorkerAsync();
        }

        return host;
    }

    /// <summary>
    /// A Redis connection string of its own for one test: databases 1-15 rotate between tests (0 belongs to the
    /// stack's own services, whose Worker would otherwise consume the test's jobs and streams); flushed before use.
    /// </summary>
    public static async Task<string> IsolatedRedisAsync(StackFixture stack)
    {
        var redisDatabase = 1 + (Interlocked.Increment(ref _redisDatabase) % 15);
        var redisConnectionString = $"{await stack.ConnectionStringAsync(ResourceNames.Redis)},defaultDatabase={redisDatabase}";
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(redisConnectionString + ",allowAdmin=true"))
        {
            await redis.GetServer(redis.GetEndPoints()[0]).FlushDatabaseAsync(redisDatabase);
        }

        return redisConnectionString;
    }

    public Task StartWorkerAsync()
    {
        _worker = Configure(new WebApplicationFactory<worker::Program>(), WorkerLogs, runtimeSettings: WorkerRuntimeSettings);
        _ = _worker.Services;
        return Task.CompletedTask;
    }

    /// <summary>Stops the Worker abruptly, as a crash would (no graceful drain beyond what hosting does on dispose).</summary>
    public async Task StopWorkerAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
            _worker = null;
        }
    }

    private WebApplicationFactory<T> Configure<T>(WebApplicationFactory<T> factory, LogCapture logs,
        Action<IServiceCollection>? configureServices = null, RuntimeSettings? runtimeSettings = null) where T : class =>
        factory.WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (key, value) in _settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs));
            if (runtimeSettings is not null)
            {
                web.ConfigureAppConfiguration(configuration => configuration.Add(runtimeSettings));
            }

            web.ConfigureServices(services =>
            {
                // The real sentence encoder, loaded once for the whole test run: every host would otherwise load the
                // model (~1.5 s, ~320 MB) and build the classifier again.
                services.Replace(ServiceDescriptor.Singleton(SentenceEmbedder.Shared));
                services.Replace(ServiceDescriptor.Singleton<ITextEmbedder>(SentenceEmbedder.Shared));
                if (!_isolatedKnowledge)
                {
                    services.Replace(ServiceDescriptor.Singleton(SharedKnowledge.Value));
                }

                if (Time is not null)
                {
                    services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
                }

                configureServices?.Invoke(services);
            });
        });

    /// <summary>POSTs an update to the webhook as Telegram does.</summary>
    public async Task<HttpResponseMessage> PostUpdateAsync(string json, string? secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var client = Api;
        return await client.SendAsync(request).WaitAsync(Timeout);
    }

    public async Task<T> QueryAsync<T>(Func<BotDbContext, Task<T>> query)
    {
        var options = new DbContextOptionsBuilder<BotDbContext>().UseNpgsql(ConnectionString).UseSnakeCaseNamingConvention().Options;
        await using var db = new BotDbContext(options);
        return await query(db).WaitAsync(Timeout);
    }

    /// <summary>Waits until every recorded update is handled (none pending or in progress).</summary>
    public async Task WaitForInboxDrainedAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (DateTime.UtcNow < deadline)
        {
            var open = await QueryAsync(db => db.InboundUpdates.CountAsync(u => u.Status == InboxStatus.Pending || u.Status == InboxStatus.Processing));
            if (open == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Inbox not drained in time");
    }

    /// <summary>Waits until the outbox has nothing left to send.</summary>
    public async Task WaitForOutboxDrainedAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (DateTime.UtcNow < deadline)
        {
            var open = await QueryAsync(db => db.OutboundMessages.CountAsync(m => m.Status == OutboxStatus.Pending || m.Status == OutboxStatus.Sending));
            if (open == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Outbox not drained in time");
    }

    /// <summary>
    /// One knowledge base for every host of the test run: all test databases are seeded with the same entries,
    /// so each host's start-up reload finds the same fingerprint and costs nothing. Tests that edit entries ask
    /// for their own (<c>isolatedKnowledge</c>).
    /// </summary>
    private static readonly Lazy<FaqKnowledgeBase> SharedKnowledge = new(() => new FaqKnowledgeBase(SentenceEmbedder.Shared));

    /// <summary>An in-memory configuration source whose changes fire the reload token (IOptionsMonitor sees them).</summary>
    public sealed class RuntimeSettings : Microsoft.Extensions.Configuration.ConfigurationProvider, Microsoft.Extensions.Configuration.IConfigurationSource
    {
        public Microsoft.Extensions.Configuration.IConfigurationProvider Build(Microsoft.Extensions.Configuration.IConfigurationBuilder builder) => this;

        public void Change(string key, string? value)
        {
            Data[key] = value;
            OnReload();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await Telegram.DisposeAsync();
        await PostgresProxy.DisposeAsync();
    }
}
