using System.Text.RegularExpressions;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>
/// A few indicators of what kind of message it is, independent of its topic. Sentence embeddings capture the
/// topic well but not whether the user asks about the agency ("do you use docker?": a FAQ) or asks the bot to
/// solve something ("how do I shrink my docker image?": out of scope); these features let the head learn that.
/// </summary>
internal static partial class SpeechActFeatures
{
    public const int Count = 10;

    public static float[] Compute(string text)
    {
        var normalised = " " + string.Join(' ', TextAnalysis.Words(TextAnalysis.Normalise(text))) + " ";
        var words = normalised.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var features = new float[Count];
        features[0] = AddressesUs().IsMatch(normalised) ? 1 : 0;
        features[1] = FirstPerson().IsMatch(normalised) ? 1 : 0;
        features[2] = AsksHowTo().IsMatch(normalised) ? 1 : 0;
        features[3] = AsksCapability().IsMatch(normalised) ? 1 : 0;
        features[4] = GivesTask().IsMatch(normalised) ? 1 : 0;
        features[5] = AsksFact().IsMatch(normalised) ? 1 : 0;
        features[6] = words.Length <= 2 ? 1 : 0;
        features[7] = words.Length is > 2 and <= 8 ? 1 : 0;
        features[8] = words.Length > 16 ? 1 : 0;
        features[9] = text.Contains('?', StringComparison.Ordinal) ? 1 : 0;
        return features;
    }

    [GeneratedRegex(@" (you|your|yours|yourself|yourselves|u|ur|ya|dev2prod|dev2production|y'all|yall) ")]
    private static partial Regex AddressesUs();

    [GeneratedRegex(@" (i|im|ive|my|me|mine|we|our|ours|us|weve|were) ")]
    private static partial Regex FirstPerson();

    [GeneratedRegex(@"^ (how (do|can|should|would|to) (i|we|you|one)?|how to|whats the best way|what is the best way|best way to|is it possible to) ")]
    private static partial Regex AsksHowTo();

    [GeneratedRegex(@" (do|can|could|will|would|are|have|did) (you|u|ya|yall) ")]
    private static partial Regex AsksCapability();

    [GeneratedRegex(@"^ (write|give|tell|translate|summarise|summarize|generate|make|help me|create|draft|solve|convert|calculate|recommend|explain|compare|fix|debug|list|find|book|sing|play|plan|correct) ")]
    private static partial Regex GivesTask();

    [GeneratedRegex(@"^ (what|whats|who|whos|when|where|why|which|is|are|does|how (much|many|long|far|old|tall|does)) ")]
    private static partial Regex AsksFact();
}
