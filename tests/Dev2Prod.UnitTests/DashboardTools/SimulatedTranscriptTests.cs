using Dev2Prod.Admin.Features.Try;
using Dev2Prod.Core.Telegram.Outbox;
using Dev2Prod.Core.Telegram.Simulator;
using StackExchange.Redis;

namespace Dev2Prod.UnitTests.DashboardTools;

/// <summary>Folding a simulated chat's stream into what a Telegram client shows.</summary>
public sealed class SimulatedTranscriptTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static StreamEntry Entry(int seq, string kind, int? messageId = null, string? text = null, string? buttons = null, string? parseMode = null, int atSeconds = 0)
    {
        var values = new List<NameValueEntry>
        {
            new(SimulatorFields.Kind, kind),
            new(SimulatorFields.At, (T0.AddSeconds(atSeconds)).ToUnixTimeMilliseconds()),
        };
        if (messageId is not null) { values.Add(new(SimulatorFields.MessageId, messageId.Value)); }
        if (text is not null) { values.Add(new(SimulatorFields.Text, text)); }
        if (buttons is not null) { values.Add(new(SimulatorFields.Buttons, buttons)); }
        if (parseMode is not null) { values.Add(new(SimulatorFields.ParseMode, parseMode)); }
        return new StreamEntry($"{1000 + seq}-0", [.. values]);
    }

    private static readonly string YesNo = SimulatorStream.ButtonsToJson([[OutboundButton.Callback("👍 Yes", "faq:y:nda"), OutboundButton.Callback("👎 No", "faq:n:nda")]]);

    [Fact]
    public void MessagesOfBothSidesAppearInOrderAndTheCursorFollows()
    {
        var transcript = new SimulatedTranscript();

        transcript.Apply([
            Entry(1, SimulatorEventKinds.UserMessage, 1, "do you sign NDAs?"),
            Entry(2, SimulatorEventKinds.BotMessage, 2, "<b>Yes</b>", parseMode: "HTML"),
            Entry(3, SimulatorEventKinds.BotMessage, 3, "Did this answer your question?", YesNo, "HTML"),
        ]);

        Assert.Equal([false, true, true], transcript.Items.Select(i => i.FromBot));
        Assert.True(transcript.Items[1].IsHtml);
        Assert.False(transcript.Items[0].IsHtml);
        Assert.Equal(2, transcript.Items[2].Buttons[0].Count);
        Assert.Equal("1003-0", transcript.Cursor);
    }

    [Fact]
    public void AButtonPressShowsTheButtonsLabel()
    {
        var transcript = new SimulatedTranscript();

        transcript.Apply([
            Entry(1, SimulatorEventKinds.BotMessage, 3, "Did this answer your question?", YesNo, "HTML"),
            Entry(2, SimulatorEventKinds.UserCallback, 3, "faq:n:nda"),
        ]);

        Assert.True(transcript.Items[1].IsButtonPress);
        Assert.Equal("👎 No", transcript.Items[1].Text);
    }

    [Fact]
    public void EditsChangeTheMessageInPlace()
    {
        var transcript = new SimulatedTranscript();
        transcript.Apply([Entry(1, SimulatorEventKinds.BotMessage, 5, "Step 1 of 6", YesNo, "HTML")]);

        transcript.Apply([Entry(2, SimulatorEventKinds.EditMarkup, 5, buttons: "")]);
        Assert.Empty(transcript.Items[0].Buttons);

        transcript.Apply([Entry(3, SimulatorEventKinds.Edit, 5, "Step 1 of 6 ✓", parseMode: "HTML")]);
        Assert.Single(transcript.Items);
        Assert.Equal("Step 1 of 6 ✓", transcript.Items[0].Text);
        Assert.True(transcript.Items[0].Edited);
    }

    [Fact]
    public void TypingLastsUntilTheNextBotMessageOrFiveSeconds()
    {
        var transcript = new SimulatedTranscript();

        transcript.Apply([Entry(1, SimulatorEventKinds.Typing, text: "typing", atSeconds: 0)]);
        Assert.True(transcript.IsTyping(T0.AddSeconds(4)));
        Assert.False(transcript.IsTyping(T0.AddSeconds(6)));

        transcript.Apply([Entry(2, SimulatorEventKinds.BotMessage, 9, "Here you go", atSeconds: 1)]);
        Assert.False(transcript.IsTyping(T0.AddSeconds(2)));
    }

    [Fact]
    public void ACallbackAnswerWithTextBecomesAToastAndAnEmptyOneDoesNot()
    {
        var transcript = new SimulatedTranscript();

        transcript.Apply([Entry(1, SimulatorEventKinds.CallbackAnswer, text: "")]);
        Assert.Null(transcript.PendingToast);

        transcript.Apply([Entry(2, SimulatorEventKinds.CallbackAnswer, text: "Thanks for the feedback!")]);
        Assert.Equal("Thanks for the feedback!", transcript.PendingToast);
    }

    [Fact]
    public void AnEditOfAMessageNoLongerInTheTranscriptChangesNothing()
    {
        var transcript = new SimulatedTranscript();

        transcript.Apply([Entry(1, SimulatorEventKinds.Edit, 99, "ghost")]);

        Assert.Empty(transcript.Items);
        Assert.Equal("1001-0", transcript.Cursor);
    }
}
