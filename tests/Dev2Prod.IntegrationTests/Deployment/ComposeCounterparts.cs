using System.Text.Json.Nodes;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// The single-host docker-compose.yml against the AppHost's manifest: every project is a compose service of
/// the same name that receives every setting the AppHost gives it (Aspire's aliases and https endpoints
/// aside, as for Kubernetes).
/// </summary>
internal static class ComposeCounterparts
{
    public static IReadOnlyList<string> FindGaps(JsonObject aspireManifest, JsonObject composeServices)
    {
        var resources = aspireManifest["resources"]!.AsObject();
        var gaps = new List<string>();
        foreach (var (name, node) in resources)
        {
            if (!((string?)node!["type"] ?? "").StartsWith("project.", StringComparison.Ordinal))
            {
                continue;
            }

            if (composeServices[name] is not JsonObject service)
            {
                gaps.Add($"project '{name}' has no compose service '{name}'");
                continue;
            }

            var environment = service["environment"] as JsonObject ?? [];
            foreach (var (variable, _) in node["env"]?.AsObject() ?? [])
            {
                if (!KubernetesCounterparts.IsAspireAlias(variable, resources) && !KubernetesCounterparts.IsTlsEndpoint(variable)
                    && !environment.ContainsKey(variable))
                {
                    gaps.Add($"compose service '{name}' lacks {variable}");
                }
            }
        }

        return gaps;
    }
}
