using Dev2Prod.Api.Features.Conversations;
using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Intake;

/// <summary><c>/project</c> starts the intake (or continues the one in progress).</summary>
public sealed class ProjectCommand(IntakeFlow flow) : ICommandHandler
{
    public IReadOnlyCollection<string> Commands { get; } = ["project"];

    public Task HandleAsync(TurnContext turn, string command, string arguments) => flow.StartAsync(turn);
}

/// <summary>The intake's buttons: <c>intake:start</c> and <c>intake:{step}:{value}</c>.</summary>
public sealed class IntakeCallbacks(IntakeFlow flow) : ICallbackHandler
{
    public string Prefix => IntakeTexts.Prefix;

    public Task HandleAsync(TurnContext turn, string payload) => flow.HandleCallbackAsync(turn, payload);
}

/// <summary>
/// Free text during an intake. A low <see cref="Order"/>: an active intake sees the text before the FAQ
/// classifier, and asks the question detector itself, so a question mid-flow is answered without losing the step.
/// </summary>
public sealed class IntakeTextHandler(IntakeFlow flow) : ITextHandler
{
    public const int HandlerOrder = 10;

    public int Order => HandlerOrder;

    public Task<bool> TryHandleAsync(TurnContext turn, string text) => flow.TryHandleTextAsync(turn, text);
}

/// <summary>The contact shared with Telegram's button at step 6 (and other media during an intake).</summary>
public sealed class IntakeMediaHandler(IntakeFlow flow) : IMediaHandler
{
    public const int HandlerOrder = 10;

    public int Order => HandlerOrder;

    public Task<bool> TryHandleAsync(TurnContext turn, TelegramMessage message) => flow.TryHandleMediaAsync(turn, message);
}
