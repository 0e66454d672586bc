using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.UnitTests.Faq;

public sealed class TextAnalysisTests
{
    [Theory]
    [InlineData("kubernetes", "kubernetes", 0)]
    [InlineData("kuberentes", "kubernetes", 1)] // two neighbours swapped
    [InlineData("pirce", "price", 1)]
    [InlineData("prce", "price", 1)]
    [InlineData("pricee", "price", 1)]
    [InlineData("warranty", "wrranty", 1)]
    [InlineData("abc", "xyz", 3)]
    public void DamerauLevenshteinCountsEdits(string a, string b, int expected) =>
        Assert.Equal(expected, TextAnalysis.DamerauLevenshtein(a, b, 5));

    [Fact]
    public void DamerauLevenshteinStopsAtTheLimit() =>
        Assert.Equal(3, TextAnalysis.DamerauLevenshtein("completely", "different", 2));

    [Theory]
    [InlineData("projects", "project")]
    [InlineData("companies", "company")]
    [InlineData("hosting", "host")]
    [InlineData("planned", "plan")]
    [InlineData("process", "process")]
    [InlineData("status", "status")]
    public void TheStemmerStripsCommonSuffixes(string word, string stem) => Assert.Equal(stem, TextAnalysis.Stem(word));

    [Fact]
    public void TechnicalTermsSurviveNormalisation()
    {
        var words = TextAnalysis.Words(TextAnalysis.Normalise("Do you use C#, .NET and CI/CD? What’s k8s?"));
        Assert.Equal(["do", "you", "use", "csharp", "dotnet", "and", "cicd", "whats", "kubernetes"], words);
    }

    [Fact]
    public void UnknownWordsAreMappedOntoTheVocabularyWhenCloseEnough()
    {
        var index = new LexicalIndex(
            [(0, "what is the price of an app"), (1, "do you use kubernetes"), (2, "is there a warranty")],
            [(0, "pricing")],
            intentCount: 3);

        Assert.Equal(["what", "is", "the", "price", "of", "an", "app"], index.CorrectedWords("what is the pirce of an app"));
        Assert.Equal(["do", "you", "use", "kubernetes"], index.CorrectedWords("do u use kuberentes"));
        Assert.Equal(["warranty"], index.CorrectedWords("wrranty"));
        // Short words and words far from every known one are left alone.
        Assert.Equal(["cat", "zebra"], index.CorrectedWords("cat zebra"));
    }

    [Fact]
    public void KeywordsMatchDespiteTypos()
    {
        var index = new LexicalIndex([(0, "how much is it"), (1, "hello")], [(0, "pricing"), (1, "greeting")], intentCount: 2);
        var tfidf = new double[2];
        var centroid = new double[2];
        var keyword = new double[2];

        index.Score("prcing please", tfidf, centroid, keyword);

        Assert.True(keyword[0] > 0);
        Assert.Equal(0, keyword[1]);
    }
}
