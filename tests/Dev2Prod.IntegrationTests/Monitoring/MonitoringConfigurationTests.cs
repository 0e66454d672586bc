using System.Diagnostics;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Monitoring;

/// <summary>
/// monitoring/check.sh validates the Prometheus config, the alert rules (promtool check + promtool unit tests
/// that make every alert fire and stay silent) and the Grafana dashboard's queries.
/// </summary>
public sealed class MonitoringConfigurationTests
{
    [Fact]
    public async Task PrometheusConfigAlertRulesAndDashboardPassTheirChecks()
    {
        var info = new ProcessStartInfo("bash", ["monitoring/check.sh"])
        {
            WorkingDirectory = RepositoryLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, $"monitoring/check.sh failed:\n{await stdout}\n{await stderr}");
    }
}
