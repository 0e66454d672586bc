using Dev2Prod.Core.Observability;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dev2Prod.UnitTests.Observability;

/// <summary>Which redactor each data class gets, with and without an HMAC key.</summary>
public sealed class LogRedactionTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static IRedactorProvider Redactors(string? hmacKey)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[LogRedaction.HmacKeySetting] = hmacKey;
        builder.AddLogRedaction();
        return builder.Build().Services.GetRequiredService<IRedactorProvider>();
    }

    [Fact]
    public void WithAKeyIdentifiersArePseudonymisedConsistentlyAndPersonalDataIsErased()
    {
        var redactors = Redactors(Key);
        var identifier = redactors.GetRedactor(DataTaxonomy.Identifier);

        var first = identifier.Redact("830417");
        Assert.NotEqual("", first);
        Assert.DoesNotContain("830417", first, StringComparison.Ordinal);
        Assert.Equal(first, identifier.Redact("830417"));
        Assert.NotEqual(first, identifier.Redact("830418"));
        Assert.Equal("", redactors.GetRedactor(DataTaxonomy.PersonalData).Redact("jane@acme.example"));
    }

    [Fact]
    public void WithoutAKeyEverythingClassifiedIsErased()
    {
        var redactors = Redactors(null);

        Assert.Equal("", redactors.GetRedactor(DataTaxonomy.Identifier).Redact("830417"));
        Assert.Equal("", redactors.GetRedactor(DataTaxonomy.PersonalData).Redact("Jane Doe"));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void AnUnusableKeyStopsStartUpNamingTheSetting(string key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Redactors(key));
        Assert.Contains("Redaction:HmacKey", error.Message, StringComparison.Ordinal);
    }
}
