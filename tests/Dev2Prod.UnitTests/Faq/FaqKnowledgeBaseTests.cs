using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.UnitTests.Faq;

/// <summary>Reloading the knowledge without a restart, with a cheap stand-in for the sentence model.</summary>
public sealed class FaqKnowledgeBaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IntentClassifierOptions FastOptions = IntentClassifierOptions.Default with { SparseIterations = 50 };

    [Fact]
    public void LoadingTheSameKnowledgeAgainChangesNothing()
    {
        var embedder = new CountingEmbedder();
        var knowledge = new FaqKnowledgeBase(embedder, options: FastOptions);

        Assert.True(knowledge.Load(Snapshot(), Ct));
        var classifier = knowledge.Classifier;
        Assert.Equal(1, knowledge.Version);

        Assert.False(knowledge.Load(Snapshot(), Ct));
        Assert.Equal(1, knowledge.Version);
        Assert.Same(classifier, knowledge.Classifier);
    }

    [Fact]
    public void AnEditedPhrasingIsTheOnlyTextEmbeddedAgain()
    {
        var embedder = new CountingEmbedder();
        var knowledge = new FaqKnowledgeBase(embedder, options: FastOptions);
        knowledge.Load(Snapshot(), Ct);
        var before = embedder.TextsEmbedded;

        Assert.True(knowledge.Load(Snapshot(pricingPhrasing: "what would the whole thing cost me"), Ct));

        Assert.Equal(2, knowledge.Version);
        Assert.Equal(1, embedder.TextsEmbedded - before);
        Assert.Contains("what would the whole thing cost me", knowledge.Classifier.Knowledge.TrainingPhrasings().Select(t => t.Text));
    }

    [Fact]
    public void AnEditedAnswerIsServedAfterReload()
    {
        var knowledge = new FaqKnowledgeBase(new CountingEmbedder(), options: FastOptions);
        knowledge.Load(Snapshot(), Ct);

        Assert.True(knowledge.Load(Snapshot(pricingAnswer: "<b>New prices</b> from 2027."), Ct));

        Assert.Equal("<b>New prices</b> from 2027.", knowledge.Classifier.FindEntry("pricing")?.Answer);
    }

    [Fact]
    public void ADisabledTopicIsNoLongerAnIntent()
    {
        var knowledge = new FaqKnowledgeBase(new CountingEmbedder(), options: FastOptions);
        knowledge.Load(Snapshot(), Ct);
        Assert.Contains("faq.nda", knowledge.Classifier.Intents);

        knowledge.Load(Snapshot(ndaEnabled: false), Ct);

        Assert.DoesNotContain("faq.nda", knowledge.Classifier.Intents);
        Assert.Null(knowledge.Classifier.FindEntry("nda"));
        Assert.NotEqual(IntentNames.ForTopic("nda"), knowledge.Classify("will you sign an nda", Ct).Intent.Name);
    }

    [Fact]
    public void TheClassifierSeesNoLaterChangesToTheEntriesItWasBuiltFrom()
    {
        var entries = Entries();
        var classifier = IntentClassifier.Create(KnowledgeSnapshot.FromEntries(entries, extras: ExtraPhrasings.Empty), new CountingEmbedder(), FastOptions, ct: Ct);

        entries[0].Answer = "changed behind its back";

        Assert.NotEqual("changed behind its back", classifier.FindEntry(entries[0].Id)?.Answer);
    }

    [Fact]
    public void CommandsAndKeywordsWorkWithTheStandInModel()
    {
        var knowledge = new FaqKnowledgeBase(new CountingEmbedder(), options: FastOptions);
        knowledge.Load(Snapshot(), Ct);

        Assert.Equal(IntentNames.HandoffRequest, knowledge.Classify("/human", Ct).Intent.Name);
        Assert.Equal("faq.pricing", knowledge.Classify("/faq pricing", Ct).Intent.Name);
    }

    private static KnowledgeSnapshot Snapshot(string pricingPhrasing = "how much does it cost", string pricingAnswer = "<b>Pricing</b>",
        bool ndaEnabled = true)
    {
        var entries = Entries();
        entries[0].Phrasings[0] = pricingPhrasing;
        entries[0].Answer = pricingAnswer;
        entries[1].IsEnabled = ndaEnabled;
        return new KnowledgeSnapshot(
            entries,
            new Dictionary<string, IReadOnlyList<string>>
            {
                [IntentNames.Greeting] = ["hi", "hello", "good morning"],
                [IntentNames.HandoffRequest] = ["talk to a human", "real person please"],
            },
            ["what is the weather", "tell me a joke", "how do I cook pasta"],
            new Dictionary<string, IReadOnlyList<string>>());
    }

    private static List<FaqEntry> Entries() =>
    [
        new()
        {
            Id = "pricing", Category = "Pricing", Title = "Pricing", Answer = "<b>Pricing</b>", SortOrder = 10,
            Phrasings = ["how much does it cost", "what are your prices", "price of an app"], Keywords = ["price", "cost"],
        },
        new()
        {
            Id = "nda", Category = "Legal", Title = "NDA", Answer = "<b>NDA</b>", SortOrder = 20,
            Phrasings = ["will you sign an nda", "non disclosure agreement", "confidentiality"], Keywords = ["nda"],
        },
    ];

    /// <summary>Bag-of-words vectors from hashed words: deterministic, instant, and it counts what it embeds.</summary>
    private sealed class CountingEmbedder : ITextEmbedder
    {
        private int _textsEmbedded;

        public int Dimensions => 64;

        public int TextsEmbedded => _textsEmbedded;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken ct = default)
        {
            Interlocked.Add(ref _textsEmbedded, texts.Count);
            return [.. texts.Select(text =>
            {
                var vector = new float[Dimensions];
                foreach (var word in text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[(int)((uint)StableHash(word) % Dimensions)] += 1;
                }

                vector[0] += 0.01f;
                var norm = MathF.Sqrt(vector.Sum(v => v * v));
                return vector.Select(v => v / norm).ToArray();
            })];
        }

        private static int StableHash(string text)
        {
            var hash = 17;
            foreach (var c in text)
            {
                hash = unchecked((hash * 31) + c);
            }

            return hash;
        }
    }
}
