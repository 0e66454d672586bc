using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Api.Features.Intake;
using Dev2Prod.Core.Features.Intake;
using Microsoft.Extensions.DependencyInjection.Extensions;

// In the hosting namespace, as ServiceDefaults does, so Program.cs needs one line and no using for it.
namespace Microsoft.Extensions.Hosting;

public static class IntakeFeatureExtensions
{
    /// <summary>
    /// The project intake: <c>/project</c>, the "Start a project" menu button, the <c>intake.start</c> intent,
    /// the six steps with their buttons and checks, lead scoring (<c>Intake:Scoring</c>) and storage, and the
    /// agents' group card for hot and warm leads.
    /// </summary>
    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IntakeOptions>()
            .BindConfiguration(IntakeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddLeadScoring();

        // A knowledge base registers its own detector; until then mid-flow questions are only recognised by shape.
        builder.Services.TryAddScoped<IIntakeQuestionDetector, NoIntakeQuestionDetector>();
        builder.Services.AddScoped<IntakeFlow>();
        builder.Services.AddScoped<IntakeLeads>();

        builder.Services.AddCommandHandler<ProjectCommand>();
        builder.Services.AddCallbackHandler<IntakeCallbacks>();
        builder.Services.AddTextHandler<IntakeTextHandler>();
        builder.Services.AddMediaHandler<IntakeMediaHandler>();
        builder.Services.AddIntentHandler<IntakeIntentHandler>();
        builder.Services.AddMainMenuEntry(new MainMenuEntry(20, "🚀 Start a project", IntakeTexts.StartCallback));
        return builder;
    }
}
