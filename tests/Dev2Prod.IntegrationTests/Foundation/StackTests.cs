using System.Net;
using Dev2Prod.Core.Data;
using Dev2Prod.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dev2Prod.IntegrationTests.Foundation;

/// <summary>The AppHost brings up every resource healthy, with the endpoints Kubernetes and Prometheus rely on.</summary>
public sealed class StackTests(StackFixture stack)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Services => [ResourceNames.Api, ResourceNames.Worker, ResourceNames.Admin];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task ServiceReportsHealthyOnHealthAndAlive(string service)
    {
        using var http = stack.CreateHttpClient(service);

        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        using var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task ServiceServesPrometheusMetricsAnonymously(string service)
    {
        using var http = stack.CreateHttpClient(service);

        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken).WaitAsync(RequestTimeout, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE ", body, StringComparison.Ordinal);
        Assert.Contains($"service_name=\"{service}\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrationsCreatedTheWholeSchema()
    {
        var connectionString = await stack.ConnectionStringAsync(ResourceNames.Database);
        var options = new DbContextOptionsBuilder<BotDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options;
        await using var db = new BotDbContext(options);

        var pending = await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken);
        var applied = await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken);

        Assert.Empty(pending);
        Assert.Equal(db.Database.GetMigrations(), applied);
        foreach (var table in ExpectedTables)
        {
            Assert.True(await TableExistsAsync(connectionString, table), $"table {table} is missing");
        }
    }

    [Fact]
    public async Task FirstAdminUserIsSeededOnce()
    {
        var connectionString = await stack.ConnectionStringAsync(ResourceNames.Database);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM dashboard_users WHERE user_name = 'admin' AND role = 'Admin'", connection);

        var count = (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(1, count);
    }

    internal static readonly string[] ExpectedTables =
    [
        "telegram_users", "conversations", "messages", "leads", "faq_entries", "agents",
        "dashboard_users", "attachments", "llm_usages", "audit_log",
    ];

    internal static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = @t)", connection);
        command.Parameters.AddWithValue("t", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
