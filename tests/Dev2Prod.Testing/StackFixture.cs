using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Dev2Prod.Testing;

/// <summary>
/// The whole stack as the AppHost defines it (Postgres, Redis, Api, Worker, Admin), started once per test
/// assembly in executables mode with its own data folder, so runs never share state. Every wait is bounded.
/// </summary>
public class StackFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);

    public const string AdminPassword = "Test-admin-password-1";
    public const string AdminApiKey = "test-admin-api-key";
    public const string WebhookSecret = "test-webhook-secret";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"dev2prod-tests-{Guid.NewGuid():N}");

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Extra AppHost arguments (configuration) a derived fixture wants.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public virtual async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        string[] args =
        [
            "--BackingServices:Mode=executables",
            $"--BackingServices:DataDirectory={_dataDirectory}",
            $"--Parameters:admin-initial-password={AdminPassword}",
            $"--Parameters:admin-api-key={AdminApiKey}",
            $"--Parameters:telegram-webhook-secret={WebhookSecret}",
            .. ExtraArguments,
        ];

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Dev2Prod_AppHost>(
            args, (options, _) => options.DisableDashboard = true, cts.Token);
        // Start-up probes fail by design until each resource is up; only real errors belong in test output.
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Aspire.Hosting.Health", LogLevel.None));

        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        await Task.WhenAll(
                App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Api, cts.Token),
                App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Worker, cts.Token),
                App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Admin, cts.Token))
            .WaitAsync(cts.Token);
    }

    public HttpClient CreateHttpClient(string resource) => App.CreateHttpClient(resource, "http");

    public Uri EndpointOf(string resource) => App.GetEndpoint(resource, "http");

    public async Task<string> ConnectionStringAsync(string resource)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await App.GetConnectionStringAsync(resource, cts.Token) ?? throw new InvalidOperationException($"{resource} has no connection string");
    }

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (App is not null)
        {
            try
            {
                await App.StopAsync().WaitAsync(StopTimeout);
            }
            catch (TimeoutException)
            {
                // Disposal below still tears the processes down.
            }

            await App.DisposeAsync().AsTask().WaitAsync(StopTimeout);
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the folder is in the temp directory anyway.
        }
    }
}
