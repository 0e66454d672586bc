using Dev2Prod.Admin.Features.Faq;

namespace Dev2Prod.UnitTests.DashboardTools;

/// <summary>What the FAQ editor refuses to save, and why.</summary>
public sealed class FaqDraftValidationTests
{
    private static readonly HashSet<string> Topics = ["pricing", "nda"];

    private static FaqEntryDraft Valid() => new()
    {
        Id = "pricing",
        Title = "Pricing",
        Category = "Commercial",
        Answer = "<b>Pricing</b>\nFrom $50/h. See <a href=\"https://dev2production.tech/pricing\">our rates</a> &amp; packages.",
        PhrasingsText = "how much do you charge\nwhat are your rates\n\n",
        Buttons = [new FaqButtonDraft { Text = "Start a project", Action = "intake.start" }, new FaqButtonDraft { Text = "NDA?", Action = "faq:nda" },
                   new FaqButtonDraft { Text = "Site", Action = "https://dev2production.tech" }],
    };

    [Fact]
    public void AValidDraftHasNoErrors() => Assert.Empty(FaqEditing.Validate(Valid(), Topics));

    [Theory]
    [InlineData("<div>block</div>", "Unsupported start tag \"div\"")]
    [InlineData("<b>unclosed", "Can't find end tag")]
    [InlineData("1 < 2", "Unsupported start tag")]
    [InlineData("Tom & Jerry", "Unescaped \"&\"")]
    [InlineData("<script>alert(1)</script>", "Unsupported start tag \"script\"")]
    [InlineData("   ", "Answer: required")]
    public void AnswersTelegramWouldRefuseAreRefusedWithTheReason(string answer, string expected)
    {
        var draft = Valid();
        draft.Answer = answer;

        var errors = FaqEditing.Validate(draft, Topics);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AnswersLongerThanTelegramAllowsAreRefused()
    {
        var draft = Valid();
        draft.Answer = new string('a', FaqEditing.MaxAnswerLength + 1);

        Assert.Contains(FaqEditing.Validate(draft, Topics), e => e.Contains("at most 4096", StringComparison.Ordinal));

        draft.Answer = new string('a', FaqEditing.MaxAnswerLength);
        Assert.Empty(FaqEditing.Validate(draft, Topics));
    }

    [Theory]
    [InlineData("faq:no-such-topic")]
    [InlineData("http://insecure.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("launch-rockets")]
    [InlineData("")]
    public void ButtonsWithActionsTheBotCannotPerformAreRefused(string action)
    {
        var draft = Valid();
        draft.Buttons.Add(new FaqButtonDraft { Text = "Go", Action = action });

        Assert.Contains(FaqEditing.Validate(draft, Topics), e => e.StartsWith("Button 4: unknown action", StringComparison.Ordinal));
    }

    [Fact]
    public void ButtonsNeedALabel()
    {
        var draft = Valid();
        draft.Buttons[0].Text = " ";

        Assert.Contains(FaqEditing.Validate(draft, Topics), e => e.StartsWith("Button 1: the label", StringComparison.Ordinal));
    }

    [Fact]
    public void PhrasingsMustExistAndBeDistinct()
    {
        var draft = Valid();
        draft.PhrasingsText = "\n  \n";
        Assert.Contains(FaqEditing.Validate(draft, Topics), e => e.StartsWith("Phrasings: at least one", StringComparison.Ordinal));

        draft.PhrasingsText = "How much?\nhow much?";
        Assert.Contains(FaqEditing.Validate(draft, Topics), e => e.StartsWith("Phrasing listed twice", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var draft = Valid();
        draft.Title = "";
        draft.Answer = "<u>x";
        draft.PhrasingsText = "";

        Assert.Equal(3, FaqEditing.Validate(draft, Topics).Count);
    }
}
