using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dev2Prod.IntegrationTests.Deployment;

/// <summary>
/// Compares the AppHost's published manifest (aspire-manifest.json) with the rendered Kubernetes objects and
/// lists every AppHost item without a counterpart:
/// <list type="bullet">
/// <item>a project resource without a Deployment of the same name;</item>
/// <item>an environment variable of a project (settings, connection strings, service discovery) that the
/// Deployment's container does not receive: by <c>env</c>, through <c>envFrom</c> a ConfigMap or Secret holding
/// that key, or as a file of the Secret mounted at the key-per-file directory (SECRETS_DIRECTORY);</item>
/// <item>a secret (a secret parameter, or a connection string, which carries a password) that reaches the
/// container from anything but a Secret;</item>
/// <item>a parameter that no project variable the manifests cover carries;</item>
/// <item>when the overlay runs the data stores itself, a container resource without a StatefulSet and Service.</item>
/// </list>
/// Aspire's convenience aliases of a reference (<c>BOTDB_HOST</c>, <c>REDIS_URI</c>, <c>API_HTTP</c>...) repeat
/// what the connection string / service-discovery variables already carry and are not required; nor is the
/// https endpoint of a service, since TLS ends at the ingress.
/// </summary>
internal static partial class KubernetesCounterparts
{
    private const string DefaultSecretsDirectory = "/var/run/secrets/dev2prod";

    public static IReadOnlyList<string> FindGaps(JsonObject aspireManifest, RenderedManifests rendered, bool overlayRunsDataStores)
    {
        var resources = aspireManifest["resources"]!.AsObject();
        var gaps = new List<string>();
        var coveredReferences = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (name, node) in resources)
        {
            var resource = node!.AsObject();
            if (!((string?)resource["type"] ?? "").StartsWith("project.", StringComparison.Ordinal))
            {
                continue;
            }

            var deployment = rendered.Find("Deployment", name);
            if (deployment is null)
            {
                gaps.Add($"project '{name}' has no Deployment '{name}'");
                continue;
            }

            var container = Container(deployment, name);
            var sources = SourcesOf(container, deployment, rendered);
            foreach (var (variable, valueNode) in resource["env"]?.AsObject() ?? [])
            {
                if (IsAspireAlias(variable, resources) || IsTlsEndpoint(variable))
                {
                    continue;
                }

                var value = (string?)valueNode ?? "";
                if (!sources.TryGetValue(variable, out var source))
                {
                    gaps.Add($"project '{name}': environment variable {variable} (= {value}) has no counterpart in the {rendered.Overlay} manifests");
                    continue;
                }

                if (CarriesSecret(value, resources) && source != Source.Secret)
                {
                    gaps.Add($"project '{name}': {variable} is secret but comes from a {source}, not a Secret");
                    continue;
                }

                foreach (var reference in ReferencedResources(value, resources))
                {
                    coveredReferences.Add(reference);
                }
            }
        }

        foreach (var (name, node) in resources)
        {
            var type = (string?)node!["type"] ?? "";
            if (type.StartsWith("parameter.", StringComparison.Ordinal) && !coveredReferences.Contains(name))
            {
                var secret = (bool?)node["inputs"]?["value"]?["secret"] == true ? "secret " : "";
                gaps.Add($"{secret}parameter '{name}' reaches no project setting the {rendered.Overlay} manifests provide");
            }

            if (overlayRunsDataStores && type.StartsWith("container.", StringComparison.Ordinal))
            {
                if (rendered.Find("StatefulSet", name) is null || rendered.Find("Service", name) is null)
                {
                    gaps.Add($"container '{name}' has no StatefulSet and Service '{name}' in the {rendered.Overlay} overlay");
                }
            }
        }

        return gaps;
    }

    private enum Source
    {
        Env,
        ConfigMap,
        Secret,
    }

    private static JsonObject Container(JsonObject deployment, string name)
    {
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!.AsObject()).ToList();
        return containers.FirstOrDefault(c => (string?)c["name"] == name) ?? containers[0];
    }

    /// <summary>Every variable name the container receives, and from where.</summary>
    private static Dictionary<string, Source> SourcesOf(JsonObject container, JsonObject deployment, RenderedManifests rendered)
    {
        var sources = new Dictionary<string, Source>(StringComparer.Ordinal);
        foreach (var envFrom in container["envFrom"]?.AsArray() ?? [])
        {
            if ((string?)envFrom!["configMapRef"]?["name"] is { } configMap)
            {
                foreach (var key in Keys(rendered.Find("ConfigMap", configMap)))
                {
                    sources[(string?)envFrom["prefix"] + key] = Source.ConfigMap;
                }
            }

            if ((string?)envFrom["secretRef"]?["name"] is { } secret)
            {
                foreach (var key in SecretKeys(rendered, secret))
                {
                    sources[(string?)envFrom["prefix"] + key] = Source.Secret;
                }
            }
        }

        var secretsDirectory = DefaultSecretsDirectory;
        foreach (var env in container["env"]?.AsArray() ?? [])
        {
            var name = (string)env!["name"]!;
            sources[name] = env["valueFrom"]?["secretKeyRef"] is not null ? Source.Secret
                : env["valueFrom"]?["configMapKeyRef"] is not null ? Source.ConfigMap
                : Source.Env;
            if (name == "SECRETS_DIRECTORY" && (string?)env["value"] is { Length: > 0 } directory)
            {
                secretsDirectory = directory;
            }
        }

        // The Secret mounted as files where the services' key-per-file configuration reads them.
        var mount = container["volumeMounts"]?.AsArray().FirstOrDefault(m => (string?)m!["mountPath"] == secretsDirectory);
        var volume = mount is null
            ? null
            : deployment["spec"]!["template"]!["spec"]!["volumes"]?.AsArray().FirstOrDefault(v => (string?)v!["name"] == (string?)mount["name"]);
        if ((string?)volume?["secret"]?["secretName"] is { } mountedSecret)
        {
            var items = volume["secret"]!["items"]?.AsArray().Select(i => (string)i!["path"]!).ToList();
            foreach (var key in items ?? SecretKeys(rendered, mountedSecret))
            {
                sources[key] = Source.Secret;
            }
        }

        return sources;
    }

    /// <summary>
    /// Keys of a Secret: the rendered Secret's, or, where an External Secrets Operator ExternalSecret writes it
    /// (production), the keys that ExternalSecret fills.
    /// </summary>
    private static IEnumerable<string> SecretKeys(RenderedManifests rendered, string name)
    {
        var external = rendered.OfKind("ExternalSecret").Where(e =>
            ((string?)e["spec"]?["target"]?["name"] ?? (string?)e["metadata"]?["name"]) == name);
        return Keys(rendered.Find("Secret", name))
            .Concat(external.SelectMany(e => e["spec"]?["data"]?.AsArray().Select(d => (string)d!["secretKey"]!) ?? []))
            .Concat(external.SelectMany(e => e["spec"]?["target"]?["template"]?["data"]?.AsObject().Select(p => p.Key) ?? []));
    }

    private static IEnumerable<string> Keys(JsonObject? configMapOrSecret) =>
        configMapOrSecret is null
            ? []
            : new[] { "data", "stringData" }.SelectMany(field => configMapOrSecret[field]?.AsObject().Select(p => p.Key) ?? []);

    /// <summary><c>BOTDB_HOST</c>, <c>REDIS_URI</c>, <c>API_HTTP</c>: a resource's name upper-cased plus a part.</summary>
    internal static bool IsAspireAlias(string variable, JsonObject resources)
    {
        var match = AliasPattern().Match(variable);
        return match.Success && resources.Any(r => r.Key.Replace('-', '_').Equals(match.Groups["resource"].Value, StringComparison.OrdinalIgnoreCase));
    }

    internal static bool IsTlsEndpoint(string variable) => HttpsServicePattern().IsMatch(variable);

    private static bool CarriesSecret(string value, JsonObject resources) =>
        ReferencedResources(value, resources).Any(name =>
            resources[name] is { } r && ((bool?)r["inputs"]?["value"]?["secret"] == true || r["connectionString"] is not null));

    /// <summary>The resources a value references, directly or through their connection strings and values.</summary>
    private static HashSet<string> ReferencedResources(string value, JsonObject resources)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([value]);
        while (pending.TryPop(out var text))
        {
            foreach (Match match in ReferencePattern().Matches(text))
            {
                var name = match.Groups["resource"].Value;
                if (resources[name] is not { } resource || !found.Add(name))
                {
                    continue;
                }

                foreach (var field in new[] { "connectionString", "value" })
                {
                    if ((string?)resource[field] is { } nested)
                    {
                        pending.Push(nested);
                    }
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"^(?<resource>[A-Z0-9_]+?)_(HOST|PORT|USERNAME|PASSWORD|URI|JDBCCONNECTIONSTRING|DATABASENAME|HTTP|HTTPS)$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^services__[^_]+(?:_[^_]+)*__https__\d+$")]
    private static partial Regex HttpsServicePattern();

    [GeneratedRegex(@"\{(?<resource>[A-Za-z0-9-]+)\.(?:value|connectionString|bindings|inputs)")]
    private static partial Regex ReferencePattern();
}
