using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.UnitTests.Faq;

/// <summary>Behaviour of the real classifier (the MiniLM model, loaded once for the assembly).</summary>
public sealed class IntentClassifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IntentClassifier Classifier => SharedClassifier.Value;

    // A few wordings per intent, written for these tests (not taken from the seed or the dev set).
    [Theory]
    [InlineData("hey there, good morning!", IntentNames.Greeting)]
    [InlineData("hello, anyone around?", IntentNames.Greeting)]
    [InlineData("thanks a ton, bye", IntentNames.Goodbye)]
    [InlineData("ok that's all I wanted to know, thank you", IntentNames.Goodbye)]
    [InlineData("what sort of things can I ask you here?", IntentNames.Help)]
    [InlineData("I run a chain of dental clinics and need an app for appointment booking", IntentNames.IntakeStart)]
    [InlineData("we'd like you to build a marketplace for second-hand furniture", IntentNames.IntakeStart)]
    [InlineData("please let me talk to a real person", IntentNames.HandoffRequest)]
    [InlineData("what do you charge per hour for a senior developer?", "faq.hourly-rate")]
    [InlineData("is the first call with you free of charge?", "faq.free-consultation")]
    [InlineData("can you build apps for both iphone and android?", "faq.mobile-apps")]
    [InlineData("do you sign a non-disclosure agreement before we talk?", "faq.nda")]
    [InlineData("will the intellectual property belong to my company?", "faq.ip-ownership")]
    [InlineData("do you fix bugs for free after the launch, and for how long?", "faq.warranty")]
    [InlineData("can I pay you with a credit card?", "faq.payment-methods")]
    [InlineData("which time zone is your team in?", "faq.timezone")]
    [InlineData("are there any open developer jobs at your company?", "faq.careers")]
    [InlineData("do you have experience with kubernetes clusters?", "faq.kubernetes")]
    [InlineData("can you take over an app our last agency left half done?", "faq.project-takeover")]
    [InlineData("how do I delete everything I wrote in this chat?", "faq.privacy")]
    public void KnownWordingsGetTheirIntent(string text, string expected)
    {
        var result = Classifier.Classify(text, Ct);
        Assert.Equal(expected, result.Intent.Name);
        Assert.True(result.IsCanned);
    }

    [Theory]
    [InlineData("what is the boiling point of water at high altitude")]
    [InlineData("write me a haiku about autumn leaves")]
    [InlineData("how do I fix a segmentation fault in my c program")]
    [InlineData("who painted the mona lisa")]
    public void OutOfScopeQuestionsFallBack(string text) =>
        Assert.Equal(IntentNames.Fallback, Classifier.Classify(text, Ct).Intent.Name);

    [Theory]
    [InlineData("/start", IntentNames.Greeting)]
    [InlineData("/start campaign-42", IntentNames.Greeting)]
    [InlineData("/help", IntentNames.Help)]
    [InlineData("/help@Dev2ProdBot", IntentNames.Help)]
    [InlineData("/faq", IntentNames.Help)]
    [InlineData("/faq pricing", "faq.pricing")]
    [InlineData("/project", IntentNames.IntakeStart)]
    [InlineData("/human", IntentNames.HandoffRequest)]
    [InlineData("/book_call", "faq.book-call")]
    [InlineData("/nonsense", IntentNames.Help)]
    public void CommandsMapDirectly(string command, string expected)
    {
        var result = Classifier.Classify(command, Ct);
        Assert.Equal(expected, result.Intent.Name);
        Assert.Equal(1.0, result.Intent.Confidence);
        Assert.False(result.IsAmbiguous);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void EmptyTextIsFallback(string? text)
    {
        var result = Classifier.Classify(text, Ct);
        Assert.Equal(IntentNames.Fallback, result.Intent.Name);
        Assert.False(result.IsAmbiguous);
    }

    [Theory]
    [InlineData("how much dose it cots to bild an ap", "faq.pricing")]
    [InlineData("do you work with kuberentes", "faq.kubernetes")]
    [InlineData("whats ur refnud polcy", "faq.refund")]
    [InlineData("wil u sign an nda", "faq.nda")]
    public void TyposAreTolerated(string text, string expected) =>
        Assert.Equal(expected, Classifier.Classify(text, Ct).Intent.Name);

    [Fact]
    public void RankingHasFiveIntentsBestFirstWithConfidencesInRange()
    {
        var result = Classifier.Classify("how long does it take to build a mobile app?", Ct);
        Assert.Equal(5, result.Ranking.Count);
        Assert.Equal(result.Ranking.OrderByDescending(s => s.Confidence), result.Ranking);
        Assert.All(result.Ranking, s => Assert.InRange(s.Confidence, 0, 1));
        Assert.Equal(result.Intent, result.Ranking[0]);
        Assert.Equal(result.Ranking.Count, result.Ranking.Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public void LongAndOddInputDoesNotThrow()
    {
        var result = Classifier.Classify(string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet 🚀 <b>bold</b> ", 400)), Ct);
        Assert.InRange(result.Intent.Confidence, 0, 1);
    }

    [Fact]
    public void MostSimilarEntriesGroundOnTheRightTopic()
    {
        var similar = Classifier.MostSimilarEntries("who owns the copyright of the code once the project is paid for?", 3);
        Assert.Equal(3, similar.Count);
        Assert.Equal("ip-ownership", similar[0].Entry.Id);
        Assert.Equal(similar.OrderByDescending(s => s.Similarity).Select(s => s.Entry.Id), similar.Select(s => s.Entry.Id));
        Assert.All(similar, s => Assert.InRange(s.Similarity, 0, 1));
        Assert.Empty(Classifier.MostSimilarEntries("", 3));
        Assert.Empty(Classifier.MostSimilarEntries("pricing", 0));
    }

    [Fact]
    public void CloseScoresAreAmbiguousAndClearOnesAreNot()
    {
        var intents = Classifier.Intents;
        var evidence = new IntentEvidence("x", intents, intents.ToList().IndexOf(IntentNames.Fallback));
        var pricing = intents.ToList().IndexOf("faq.pricing");
        var estimate = intents.ToList().IndexOf("faq.estimate");
        evidence.Nearest[pricing] = 0.80;
        evidence.Nearest[estimate] = 0.799;
        var close = IntentClassifier.Decide(evidence, Classifier.Options);
        Assert.True(close.IsAmbiguous);
        Assert.Equal(["faq.pricing", "faq.estimate"], close.Ranking.Take(2).Select(s => s.Name));

        evidence.Nearest[estimate] = 0.3;
        Assert.False(IntentClassifier.Decide(evidence, Classifier.Options).IsAmbiguous);
    }
}
