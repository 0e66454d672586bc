using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Api.Features.Handoff;
using Dev2Prod.Core.Features.Handoff;

// In the hosting namespace, as ServiceDefaults does, so Program.cs needs one line and no using for it.
namespace Microsoft.Extensions.Hosting;

public static class HandoffFeatureExtensions
{
    /// <summary>
    /// Human handoff in conversations: <c>/human</c>, the "Talk to a human" button and the <c>handoff.request</c>
    /// intent escalate; <c>/bot</c> hands back; while a person has the conversation the user's messages are
    /// relayed to the agents' group and the bot stays quiet; the group's buttons and commands (claim, release,
    /// close, transfer, note) and the CSAT rating; agents from <c>Handoff:Agents</c> registered at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddHandoff(this IHostApplicationBuilder builder)
    {
        builder.AddHandoffEscalation();
        builder.Services.AddHostedService<AgentGroupDetection>();
        builder.Services.AddHostedService<ConfiguredAgentsSync>();

        builder.Services.AddCommandHandler<HandoffCommands>();
        builder.Services.AddCallbackHandler<HandoffCallbacks>();
        builder.Services.AddIntentHandler<HandoffIntentHandler>();
        builder.Services.AddTextHandler<HandoffTextRelay>();
        builder.Services.AddMediaHandler<HandoffMediaRelay>();
        builder.Services.AddGroupMessageHandler<AgentGroupMessages>();
        builder.Services.AddMainMenuEntry(new MainMenuEntry(40, "🙋 Talk to a human", HandoffTexts.RequestData(EscalationReasons.UserRequest)));
        return builder;
    }
}
