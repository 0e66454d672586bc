using Dev2Prod.Core.Features.Llm;

namespace Dev2Prod.UnitTests.Llm;

public sealed class TelegramChunksTests
{
    [Fact]
    public void AShortTextIsOneEscapedMessage()
    {
        var chunks = TelegramChunks.EscapeAndSplit("  Use <b> & enjoy  ");

        Assert.Equal(["Use &lt;b&gt; &amp; enjoy"], chunks);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(100)]
    public void ALongTextIsSplitUnderTheLimitAtBoundariesAndLosesNothing(int limit)
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 40).Select(i => $"Paragraph {i} has <tags> & ampersands. " + new string('x', Math.Min(150, limit / 3))));

        var chunks = TelegramChunks.EscapeAndSplit(text, limit);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, limit));
        Assert.Equal(Words(text), Words(string.Join(" ", chunks.Select(TelegramChunks.Unescape))));
    }

    [Fact]
    public void AnUnbrokenRunIsCutHardButNeverInsideAnEntity()
    {
        var text = new string('a', 95) + "&&&&&&&&&&" + new string('b', 200);

        var chunks = TelegramChunks.EscapeAndSplit(text, 100);

        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 100));
        Assert.Equal(text, string.Concat(chunks.Select(TelegramChunks.Unescape)));
    }

    private static string Words(string text) => string.Join(' ', text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
}

public sealed class LlmPromptBuilderTests
{
    private static readonly Dev2Prod.Core.Domain.FaqEntry Nda = new() { Id = "nda", Title = "NDA", Answer = "Yes, we sign <b>your</b> NDA." };

    [Fact]
    public void ThePromptHoldsTheSystemPromptTheKnowledgeTheHistoryAndTheQuestionInOrder()
    {
        var history = new[]
        {
            new PromptHistoryMessage(Dev2Prod.Core.Domain.SenderType.User, "hello"),
            new PromptHistoryMessage(Dev2Prod.Core.Domain.SenderType.Bot, "hi there"),
        };

        var prompt = new LlmPromptBuilder().Build("Do you sign NDAs?", [Nda], history, 3000);

        Assert.Equal(4, prompt.Messages.Count);
        Assert.Contains("NDA: Yes, we sign your NDA.", prompt.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal("hello", prompt.Messages[1].Text);
        Assert.Equal("hi there", prompt.Messages[2].Text);
        Assert.Equal("Do you sign NDAs?", prompt.Messages[3].Text);
        Assert.Equal(["nda"], prompt.KnowledgeIds);
    }

    [Fact]
    public void OldHistoryIsDroppedFirstToStayWithinTheTokenBudget()
    {
        var history = Enumerable.Range(0, 50)
            .Select(i => new PromptHistoryMessage(Dev2Prod.Core.Domain.SenderType.User, $"message {i} " + string.Join(' ', Enumerable.Repeat("word", 40))))
            .ToList();
        var budget = LlmPromptBuilder.CountTokens(LlmPromptBuilder.SystemPrompt) + 400;

        var prompt = new LlmPromptBuilder().Build("What now?", [], history, budget);

        Assert.True(prompt.InputTokens <= budget, $"{prompt.InputTokens} > {budget}");
        Assert.InRange(prompt.Messages.Count, 3, 10);
        Assert.StartsWith("message 49 ", prompt.Messages[^2].Text, StringComparison.Ordinal);
        Assert.Equal("What now?", prompt.Messages[^1].Text);
    }
}
