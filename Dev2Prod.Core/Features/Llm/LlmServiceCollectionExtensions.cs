using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dev2Prod.Core.Features.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>What the Api and the Worker share: options (section <c>Llm</c>), the job queue, quotas and metrics.</summary>
    public static IServiceCollection AddLlmCore(this IServiceCollection services)
    {
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section);
        services.TryAddSingleton<LlmJobQueue>();
        services.TryAddSingleton<LlmQuota>();
        services.TryAddSingleton<LlmMetrics>();
        services.TryAddSingleton<LlmPromptBuilder>();
        return services;
    }
}
