using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Features.Llm;

namespace Dev2Prod.Api.Features.Llm;

public static class LlmFeatureExtensions
{
    /// <summary>
    /// Questions for the AI assistant: the classifier's <c>fallback</c> and the FAQ's "Ask our AI assistant"
    /// button put a job on the Redis stream that the Worker answers.
    /// </summary>
    public static IHostApplicationBuilder AddLlmQuestions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLlmCore();
        builder.Services.AddScoped<LlmQuestionQueue>();
        builder.Services.AddIntentHandler<LlmFallbackIntentHandler>();
        builder.Services.AddCallbackHandler<LlmCallbacks>();
        builder.Services.AddTextHandler<LlmQuestionTextHandler>();
        builder.Services.AddMainMenuEntry(new MainMenuEntry(30, "🤖 Ask our AI assistant", "llm:ask"));
        return builder;
    }
}
