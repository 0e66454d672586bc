using Dev2Prod.Admin.Features.BotApi;
using Dev2Prod.Admin.Features.Faq;
using Dev2Prod.Admin.Features.Llm;
using Dev2Prod.Admin.Features.Try;

namespace Dev2Prod.Admin.Features;

public static class DashboardToolsExtensions
{
    /// <summary>The FAQ editor, LLM usage and Try the bot: the Api client (X-Api-Key) and the pages' services.</summary>
    public static IHostApplicationBuilder AddDashboardTools(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BotApiOptions>().BindConfiguration(BotApiOptions.Section);
        builder.Services.AddHttpClient<BotApiClient>(http => http.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<FaqEditing>();
        builder.Services.AddSingleton<LlmBudget>();
        builder.Services.AddSingleton<LlmUsageReport>();
        builder.Services.AddSingleton<Dev2Prod.Core.Telegram.Simulator.SimulatorStream>();
        builder.Services.AddSingleton<SimulatedCustomer>();
        return builder;
    }
}
