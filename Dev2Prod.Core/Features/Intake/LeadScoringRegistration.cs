using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Intake;

public static class LeadScoringRegistration
{
    /// <summary>The lead scorer with its weights and thresholds from <c>Intake:Scoring</c>, validated at start-up.</summary>
    public static IServiceCollection AddLeadScoring(this IServiceCollection services)
    {
        services.AddOptions<LeadScoringOptions>()
            .BindConfiguration(LeadScoringOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LeadScoringOptions>, LeadScoringOptionsValidator>();
        services.AddSingleton<LeadScorer>();
        return services;
    }
}
