using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dev2Prod.Core.Features.Faq;

public static class FaqServiceCollectionExtensions
{
    /// <summary>
    /// Registers the offline FAQ knowledge: one <see cref="SentenceEmbedder"/> (also as <see cref="ITextEmbedder"/>;
    /// the model loads on first use, ~1.5 s and ~320 MB) and one <see cref="FaqKnowledgeBase"/> holding the
    /// current <see cref="IntentClassifier"/>. Call <see cref="FaqKnowledgeBase.ReloadAsync"/> at start-up and
    /// whenever the entries change.
    /// </summary>
    public static IServiceCollection AddFaqKnowledge(this IServiceCollection services)
    {
        services.TryAddSingleton<SentenceEmbedder>();
        services.TryAddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<SentenceEmbedder>());
        services.TryAddSingleton(IntentClassifierOptions.Default);
        services.TryAddSingleton(sp => new FaqKnowledgeBase(
            sp.GetRequiredService<ITextEmbedder>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<FaqKnowledgeBase>>(),
            sp.GetRequiredService<IntentClassifierOptions>()));
        return services;
    }
}
