using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Api.Features.Faq;

public static class FaqFeatureExtensions
{
    /// <summary>
    /// The knowledge base and the offline classifier in conversations: answers, the /faq menu, feedback,
    /// routing of conversational intents, the parse API, and reloading on edits without a restart.
    /// </summary>
    public static IHostApplicationBuilder AddFaq(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        builder.Services.AddFaqKnowledge();
        builder.Services.AddHostedService<FaqKnowledgeSync>();
        builder.Services.AddScoped<FaqAnswers>();
        builder.Services.AddTextHandler<FaqTextHandler>();
        builder.Services.AddCallbackHandler<FaqCallbacks>();
        builder.Services.AddCommandHandler<FaqCommand>();
        builder.Services.AddScoped<Intake.IIntakeQuestionDetector, FaqIntakeQuestionDetector>();
        builder.Services.AddMainMenuEntry(new MainMenuEntry(10, "📚 Browse questions & answers", $"{FaqCallbacks.Prefix}:menu"));
        return builder;
    }

    /// <summary>Seeds the knowledge base on first run (existing entries, edited or not, are never overwritten).</summary>
    public static Task SeedFaqAsync(BotDbContext db, IServiceProvider services, CancellationToken cancellationToken) =>
        FaqSeeder.SeedAsync(db, services.GetRequiredService<TimeProvider>(), cancellationToken);
}
