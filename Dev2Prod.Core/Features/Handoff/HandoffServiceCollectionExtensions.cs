using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Core.Features.Handoff;

public static class HandoffServiceCollectionExtensions
{
    /// <summary>
    /// The handoff core every process shares (Api, Worker, Admin): <c>Handoff</c> options (validated at
    /// start-up), <see cref="IConversationEscalator"/>, <see cref="IAgentDesk"/>, the agents' group detection and
    /// the handoff metrics (meter <c>Dev2Prod.Handoff</c>). Needs the data and Telegram registrations
    /// (<c>AddDev2ProdData</c>, <c>AddTelegram</c>). Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddHandoffEscalation(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(HandoffMetrics)))
        {
            return services;
        }

        services.AddOptions<HandoffOptions>()
            .BindConfiguration(HandoffOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HandoffOptions>, HandoffOptionsValidator>();
        services.AddOptions<TelegramOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<OutboxWriter>();
        services.TryAddSingleton<OutboxSignal>();
        services.AddMetrics();
        services.AddSingleton<HandoffMetrics>();
        services.AddSingleton<AgentGroup>();
        services.AddScoped<ConversationEscalator>();
        services.AddScoped<IConversationEscalator>(sp => sp.GetRequiredService<ConversationEscalator>());
        services.AddScoped<AgentDesk>();
        services.AddScoped<IAgentDesk>(sp => sp.GetRequiredService<AgentDesk>());
        return services;
    }

    /// <inheritdoc cref="AddHandoffEscalation(IServiceCollection)"/>
    public static IHostApplicationBuilder AddHandoffEscalation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHandoffEscalation();
        return builder;
    }

    /// <summary>
    /// The claim reminder job: escalations nobody claimed within <c>Handoff:ClaimReminderMinutes</c> are pinged
    /// again in the group (supervisors mentioned) and the user is told they are not forgotten. Safe with several
    /// replicas (rows are taken with FOR UPDATE SKIP LOCKED).
    /// </summary>
    public static IHostApplicationBuilder AddHandoffClaimReminders(this IHostApplicationBuilder builder)
    {
        builder.AddHandoffEscalation();
        builder.Services.AddHostedService<ClaimReminderService>();
        return builder;
    }
}
