using Dev2Prod.Api.Features.Intake;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Api.Features.Faq;

/// <summary>
/// Lets the intake answer a knowledge-base question asked mid-flow ("do you sign NDAs?") and then carry on at
/// the same step: a confident, unambiguous topic match is answered with the stored answer.
/// </summary>
public sealed class FaqIntakeQuestionDetector(FaqKnowledgeBase knowledge) : IIntakeQuestionDetector
{
    public Task<IntakeQuestionAnswer?> TryAnswerAsync(string text, CancellationToken cancellationToken)
    {
        var result = knowledge.Classify(text, cancellationToken);
        var entry = result is { IsAmbiguous: false, TopicId: { } topicId } ? knowledge.Classifier.FindEntry(topicId) : null;
        return Task.FromResult(entry is { IsEnabled: true } ? new IntakeQuestionAnswer(entry.Answer) : null);
    }
}
