using Dev2Prod.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace Dev2Prod.UnitTests.Foundation;

public sealed class RequiredSettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void PresentKeysPass() =>
        RequiredSettings.EnsurePresent(Config(("ConnectionStrings:botdb", "Host=x"), ("ConnectionStrings:redis", "x:1")),
            "ConnectionStrings:botdb", "ConnectionStrings:redis");

    [Fact]
    public void EveryMissingOrBlankKeyIsNamedAtOnce()
    {
        var error = Assert.Throws<MissingSettingsException>(() =>
            RequiredSettings.EnsurePresent(Config(("ConnectionStrings:redis", "  ")), "ConnectionStrings:botdb", "ConnectionStrings:redis"));

        Assert.Equal(["ConnectionStrings:botdb", "ConnectionStrings:redis"], error.Keys);
        Assert.Contains("ConnectionStrings:botdb, ConnectionStrings:redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__botdb", error.Message, StringComparison.Ordinal);
    }
}
