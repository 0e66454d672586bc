using System.Text.RegularExpressions;
using Dev2Prod.Api.Features.Intake;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Api.Features.Faq;

/// <summary>
/// Lets the intake answer a knowledge-base question asked mid-flow ("do you sign NDAs?") and then carry on at
/// the same step. Only text phrased as a question is considered: a project description ("We need a web app
/// for clinic bookings...") is about a topic too, and must stay an answer to the step, not become an FAQ hit.
/// </summary>
public sealed partial class FaqIntakeQuestionDetector(FaqKnowledgeBase knowledge) : IIntakeQuestionDetector
{
    public Task<IntakeQuestionAnswer?> TryAnswerAsync(string text, CancellationToken cancellationToken)
    {
        if (!IsPhrasedAsQuestion(text))
        {
            return Task.FromResult<IntakeQuestionAnswer?>(null);
        }

        var result = knowledge.Classify(text, cancellationToken);
        var entry = result is { IsAmbiguous: false, TopicId: { } topicId } ? knowledge.Classifier.FindEntry(topicId) : null;
        return Task.FromResult(entry is { IsEnabled: true } ? new IntakeQuestionAnswer(entry.Answer) : null);
    }

    /// <summary>Short and phrased as a question; a long text is a description even if it asks something.</summary>
    internal static bool IsPhrasedAsQuestion(string text)
    {
        var value = text.Trim();
        return value.Length <= MaxQuestionLength && (value.EndsWith('?') || value.EndsWith('？') || Interrogative().IsMatch(value));
    }

    private const int MaxQuestionLength = 160;

    [GeneratedRegex(@"^(?:what|how|do|does|did|can|could|would|will|is|are|who|which|when|where|why|should|may)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Interrogative();
}
