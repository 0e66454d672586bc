using Dev2Prod.Admin.Features.BotApi;
using Dev2Prod.Admin.Features.Faq;
using Dev2Prod.Admin.Features.Llm;
using Dev2Prod.Admin.Features.Try;
using Microsoft.Extensions.Http.Resilience;

namespace Dev2Prod.Admin.Features;

public static class DashboardToolsExtensions
{
    /// <summary>The FAQ editor, LLM usage and Try the bot: the Api client (X-Api-Key) and the pages' services.</summary>
    public static IHostApplicationBuilder AddDashboardTools(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BotApiOptions>().BindConfiguration(BotApiOptions.Section);
        // No automatic retries: a retried POST of a simulated update would be a second message from the test customer.
#pragma warning disable EXTEXP0001 // Experimental API, the supported way to opt one client out of the defaults.
        builder.Services.AddHttpClient<BotApiClient>(http => http.Timeout = TimeSpan.FromSeconds(15))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<FaqEditing>();
        builder.Services.AddSingleton<LlmBudget>();
        builder.Services.AddSingleton<LlmUsageReport>();
        builder.Services.AddSingleton<Dev2Prod.Core.Telegram.Simulator.SimulatorStream>();
        builder.Services.AddSingleton<SimulatedCustomer>();
        return builder;
    }
}
