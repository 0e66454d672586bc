using System.Text.RegularExpressions;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.UnitTests.Faq;

public sealed partial class FaqSeedTests
{
    // The ids published in the FAQ topic list: stable, referenced by buttons, analytics and the dashboard.
    private static readonly string[] TopicIds =
    [
        "services", "pricing", "hourly-rate", "fixed-price", "minimum-budget", "free-consultation", "estimate", "timeline",
        "mvp", "tech-stack", "mobile-apps", "web-apps", "ai-integration", "devops", "cloud", "kubernetes",
        "legacy-modernization", "project-takeover", "process", "communication", "timezone", "team", "dedicated-team", "nda",
        "ip-ownership", "code-access", "payment-terms", "payment-methods", "refund", "maintenance", "warranty", "hosting",
        "security", "qa", "design", "portfolio", "references", "industries", "startups", "change-requests", "start-date",
        "contact", "book-call", "careers", "partnership", "languages", "privacy",
    ];

    private static FaqSeed Seed => FaqSeed.Load();

    [Fact]
    public void TheSeedHasTheFortySevenPublishedTopics()
    {
        Assert.Equal(47, Seed.Topics.Count);
        Assert.Equal(TopicIds.Order(StringComparer.Ordinal), Seed.Topics.Select(t => t.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryTopicHasEnoughPhrasingsAndAnAnswerTelegramAccepts()
    {
        foreach (var topic in Seed.Topics)
        {
            Assert.True(topic.Phrasings.Count >= 8, $"{topic.Id} has {topic.Phrasings.Count} phrasings");
            Assert.InRange(topic.Answer.Length, 1, 4095);
            Assert.InRange(topic.Title.Length, 1, 128);
            Assert.InRange(topic.Category.Length, 1, 64);
            Assert.NotEmpty(topic.Keywords);
        }
    }

    [Fact]
    public void AnswersUseOnlyTagsTelegramHtmlSupports()
    {
        string[] allowed = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler", "span"];
        foreach (var topic in Seed.Topics)
        {
            foreach (Match tag in Tag().Matches(topic.Answer))
            {
                Assert.Contains(tag.Groups[1].Value.ToLowerInvariant(), allowed);
            }
        }
    }

    [Fact]
    public void ButtonsPointAtKnownTopicsOrActions()
    {
        var ids = Seed.Topics.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var topic in Seed.Topics)
        {
            foreach (var button in topic.Buttons)
            {
                Assert.False(string.IsNullOrWhiteSpace(button.Text));
                if (button.Action.StartsWith("faq:", StringComparison.Ordinal))
                {
                    Assert.Contains(button.Action["faq:".Length..], ids);
                }
            }

            var entry = topic.ToEntry(10, DateTimeOffset.UnixEpoch);
            Assert.Equal(topic.Buttons, FaqButton.FromJson(entry.ButtonsJson));
        }
    }

    [Fact]
    public void EveryConversationalIntentAndTheFallbackHavePhrasings()
    {
        foreach (var intent in IntentNames.Conversational.Append(IntentNames.Fallback))
        {
            Assert.True(Seed.PhrasingsOf(intent).Count >= 8, intent);
        }
    }

    [Fact]
    public void ExtraPhrasingsOnlyNameKnownTopicsAndIntents()
    {
        var extras = ExtraPhrasings.Load();
        Assert.All(extras.Topics.Keys, id => Assert.Contains(id, TopicIds));
        Assert.All(extras.Intents.Keys, name => Assert.Contains(name, IntentNames.Conversational.Append(IntentNames.Fallback)));
        Assert.All(extras.Topics.Values.Concat(extras.Intents.Values).SelectMany(p => p), p => Assert.False(string.IsNullOrWhiteSpace(p)));
    }

    [Fact]
    public void NoTrainingPhrasingCopiesTheHeldOutDevSet()
    {
        static string Key(string text) => string.Concat(text.ToLowerInvariant().Where(char.IsLetterOrDigit));

        var dev = DevSet.All.Select(d => Key(d.Text)).ToHashSet(StringComparer.Ordinal);
        var copied = KnowledgeSnapshot.FromSeed().TrainingPhrasings().Where(t => dev.Contains(Key(t.Text))).Select(t => t.Text).ToList();
        Assert.Empty(copied);
    }

    [Fact]
    public void SeedEntriesAreEnabledAndOrdered()
    {
        var entries = Seed.ToEntries(DateTimeOffset.UnixEpoch);
        Assert.All(entries, e => Assert.True(e.IsEnabled));
        Assert.Equal(entries.Select(e => e.SortOrder).Order(), entries.Select(e => e.SortOrder));
        Assert.Equal(entries.Count, entries.Select(e => e.SortOrder).Distinct().Count());
    }

    [GeneratedRegex(@"</?([a-zA-Z][a-zA-Z0-9-]*)")]
    private static partial Regex Tag();
}
