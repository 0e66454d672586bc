using Dev2Prod.Api.Features.Conversations;

namespace Dev2Prod.Api.Features.Intake;

/// <summary>The classifier's <c>intake.start</c> intent ("I'd like a quote for an app") starts the intake.</summary>
public sealed class IntakeIntentHandler(IntakeFlow flow) : IIntentHandler
{
    public const string IntentName = "intake.start";

    public string Intent => IntentName;

    public Task HandleAsync(TurnContext turn, string text) => flow.StartAsync(turn);
}
