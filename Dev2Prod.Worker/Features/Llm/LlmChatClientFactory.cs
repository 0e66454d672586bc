using System.ClientModel;
using System.ClientModel.Primitives;
using Dev2Prod.Core.Features.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Dev2Prod.Worker.Features.Llm;

/// <summary>
/// An <see cref="IChatClient"/> (Microsoft.Extensions.AI over the official OpenAI client) for the current
/// options, made per job: the API key, base URL and model are read from <see cref="IOptionsMonitor{TOptions}"/>
/// each time, so a rotated key is used by the next request without a restart. The HTTP traffic goes through
/// the named HttpClient <see cref="HttpClientName"/> and its resilience pipeline (retries, circuit breaker,
/// attempt timeout); the OpenAI client's own retries are off so the two never multiply.
/// </summary>
public sealed class LlmChatClientFactory(IHttpClientFactory httpClients, IOptionsMonitor<LlmOptions> options)
{
    public const string HttpClientName = "llm";

    public IChatClient Create(out LlmOptions current)
    {
        current = options.CurrentValue;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(current.BaseUrl),
            Transport = new HttpClientPipelineTransport(httpClients.CreateClient(HttpClientName)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        return new OpenAIClient(new ApiKeyCredential(current.ApiKey ?? ""), clientOptions)
            .GetChatClient(current.Model)
            .AsIChatClient();
    }
}
