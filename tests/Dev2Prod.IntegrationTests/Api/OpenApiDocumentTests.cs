using System.Net;
using System.Text.Json.Nodes;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Api;

/// <summary>The Api describes itself at /openapi/v1.json (docs/API.md links it), without credentials.</summary>
public sealed class OpenApiDocumentTests(StackFixture stack)
{
    [Fact]
    public async Task TheApiServesItsOpenApiDocumentListingItsEndpoints()
    {
        using var client = stack.CreateHttpClient(ResourceNames.Api);

        using var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.StartsWith("3.", (string?)document["openapi"], StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/telegram/webhook", paths);
        Assert.NotNull(document["paths"]!["/telegram/webhook"]!["post"]);
    }
}
