using System.Net;
using Dev2Prod.Testing;
using Npgsql;

namespace Dev2Prod.IntegrationTests.Foundation;

/// <summary>
/// Each service runs alone given only its two connection strings, as in Kubernetes, and a missing setting
/// stops it at start-up with the setting's name.
/// </summary>
public sealed class StandaloneServiceTests(StackFixture stack)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("Dev2Prod.Api")]
    [InlineData("Dev2Prod.Worker")]
    [InlineData("Dev2Prod.Admin")]
    public async Task ServiceStartsHealthyAgainstAnEmptyDatabase(string project)
    {
        var databaseName = $"standalone_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync(ResourceNames.Database))
        {
            Database = databaseName,
        }.ConnectionString;
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__botdb"] = connectionString,
            ["ConnectionStrings__redis"] = await stack.ConnectionStringAsync(ResourceNames.Redis),
            // Required outside Development (the attachments volume in production).
            ["Files__Root"] = Path.Combine(Path.GetTempPath(), $"dev2prod-files-{Guid.NewGuid():N}"),
            ["Admin__InitialPassword"] = "Standalone-password-1",
        };

        await using var service = ServiceProcess.Start(project, environment);
        var healthy = await service.WaitUntilHealthyAsync(StartTimeout);

        Assert.True(healthy, $"{project} did not become healthy:\n{service.Output}");
        foreach (var table in StackTests.ExpectedTables)
        {
            Assert.True(await StackTests.TableExistsAsync(connectionString, table), $"{project} did not create table {table}");
        }

        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        using var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Theory]
    [InlineData("Dev2Prod.Api", "ConnectionStrings:botdb")]
    [InlineData("Dev2Prod.Worker", "ConnectionStrings:redis")]
    [InlineData("Dev2Prod.Admin", "ConnectionStrings:botdb")]
    [InlineData("Dev2Prod.Api", "Files:Root")]
    public async Task MissingRequiredSettingStopsStartUpNamingTheKey(string project, string missingKey)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__botdb"] = missingKey == "ConnectionStrings:botdb" ? null : "Host=127.0.0.1;Port=1;Database=x",
            ["ConnectionStrings__redis"] = missingKey == "ConnectionStrings:redis" ? null : "127.0.0.1:1",
        };

        await using var service = ServiceProcess.Start(project, environment);
        await service.WaitForExitAsync(StartTimeout);

        Assert.NotEqual(0, service.ExitCode);
        Assert.Contains(missingKey, service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminWithoutInitialPasswordOnAnEmptyDatabaseStopsNamingTheKey()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync(ResourceNames.Database))
        {
            Database = $"no_admin_{Guid.NewGuid():N}",
        }.ConnectionString;
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__botdb"] = connectionString,
            ["ConnectionStrings__redis"] = await stack.ConnectionStringAsync(ResourceNames.Redis),
            // Required outside Development (the attachments volume in production).
            ["Files__Root"] = Path.Combine(Path.GetTempPath(), $"dev2prod-files-{Guid.NewGuid():N}"),
        };

        await using var service = ServiceProcess.Start("Dev2Prod.Admin", environment);
        await service.WaitForExitAsync(StartTimeout);

        Assert.NotEqual(0, service.ExitCode);
        Assert.Contains("Admin:InitialPassword", service.Output, StringComparison.Ordinal);
    }
}
