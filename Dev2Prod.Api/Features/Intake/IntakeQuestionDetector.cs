using Dev2Prod.Core.Telegram.Outbox;

namespace Dev2Prod.Api.Features.Intake;

/// <summary>An answer to a question asked in the middle of the intake: HTML (user text escaped) and optional buttons.</summary>
public sealed record IntakeQuestionAnswer(string Html, IReadOnlyList<IReadOnlyList<OutboundButton>>? Keyboard = null);

/// <summary>
/// Recognises a question asked mid-intake ("how much does an MVP cost?") and answers it, so the intake can
/// continue at the same step instead of taking the question as an answer. The FAQ feature provides the real
/// implementation; without it nothing is recognised (the intake still treats a short "...?" as a question).
/// </summary>
public interface IIntakeQuestionDetector
{
    /// <summary>The answer, or null when the text is not a question the knowledge base answers.</summary>
    Task<IntakeQuestionAnswer?> TryAnswerAsync(string text, CancellationToken cancellationToken);
}

/// <summary>The default until a knowledge base is plugged in: recognises nothing.</summary>
internal sealed class NoIntakeQuestionDetector : IIntakeQuestionDetector
{
    public Task<IntakeQuestionAnswer?> TryAnswerAsync(string text, CancellationToken cancellationToken) =>
        Task.FromResult<IntakeQuestionAnswer?>(null);
}
