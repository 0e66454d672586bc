using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.IntegrationTests.Intake;
using Dev2Prod.Testing;

namespace Dev2Prod.IntegrationTests.Faq;

/// <summary>The real knowledge base answering inside the intake, which then continues at the same step.</summary>
public sealed class FaqInIntakeTests(StackFixture stack)
{
    [Fact]
    public async Task AKnowledgeBaseQuestionMidIntakeGetsTheStoredAnswerAndTheSameStepAgain()
    {
        await using var host = await GatewayHost.StartAsync(stack);
        var chat = new IntakeChat(host, 7400);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:web");

        var replies = await chat.SendAsync("Do you sign NDAs?");
        var afterwards = await chat.SendAsync("A customer portal for our insurance brokers, with quotes, documents and chat.");

        var texts = replies.Select(r => r.Text("text") ?? "").ToList();
        Assert.Contains(texts, t => t.Contains("NDA", StringComparison.Ordinal) && !t.Contains("Step", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Shall we continue with your project?", StringComparison.Ordinal) && t.Contains("Step 2 of 6", StringComparison.Ordinal));
        Assert.Contains(afterwards, r => (r.Text("text") ?? "").Contains("Step 3 of 6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProjectDescriptionAboutAKnowledgeBaseTopicIsTakenAsTheDescription()
    {
        await using var host = await GatewayHost.StartAsync(stack);
        var chat = new IntakeChat(host, 7401);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:mobile");

        var replies = await chat.SendAsync("We need an iOS and Android app for our gym members: bookings, payments and push notifications.");

        Assert.Contains(replies, r => (r.Text("text") ?? "").Contains("Step 3 of 6", StringComparison.Ordinal));
    }
}
