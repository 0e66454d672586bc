using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.IntegrationTests.Intake;
using Dev2Prod.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dev2Prod.IntegrationTests.Handoff;

/// <summary>
/// Human handoff end to end: the webhook and pipeline, real Postgres and Redis, the Worker's sender and the
/// real Telegram.Bot client against the fake Bot API server with a forum supergroup or a plain group.
/// </summary>
public sealed class HandoffTests(StackFixture stack)
{
    private static string Texts(IEnumerable<Testing.FakeTelegram.RecordedCall> calls) => string.Join("\n---\n", calls.Select(c => c.Text("text")));

    [Fact]
    public async Task EscalationInAForumCreatesATopicWithTheCardAndTellsTheUser()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_001);

        await desk.Customer.SendAsync("/start");
        var replies = await desk.Customer.SendAsync("/human");

        Assert.Contains("connecting you with a person", Texts(replies), StringComparison.OrdinalIgnoreCase);
        var conversation = await desk.ConversationAsync();
        Assert.Equal(ConversationStatus.WaitingForAgent, conversation.Status);
        Assert.Equal(EscalationReasons.UserRequest, conversation.EscalationReason);
        Assert.NotNull(conversation.EscalatedAt);

        var topic = Assert.Single(desk.Telegram.CallsTo("createForumTopic"));
        Assert.Equal(HandoffDesk.Group, topic.ChatId);
        Assert.Contains("New", topic.Text("name"), StringComparison.Ordinal);
        Assert.Contains("Alice", topic.Text("name"), StringComparison.Ordinal);
        Assert.NotNull(conversation.AgentTopicId);

        var card = desk.Card(conversation.Id);
        Assert.Equal(conversation.AgentTopicId, (int?)card.Number("message_thread_id"));
        var cardText = card.Text("text")!;
        Assert.Contains("Alice", cardText, StringComparison.Ordinal);
        Assert.Contains("@alice", cardText, StringComparison.Ordinal);
        Assert.Contains("asked for a person", cardText, StringComparison.Ordinal);
        Assert.Contains("/start", cardText, StringComparison.Ordinal); // the transcript
        Assert.Equal([$"handoff:claim:{conversation.Id}", $"handoff:release:{conversation.Id}", $"handoff:close:{conversation.Id}"], IntakeChat.Buttons(card));
        Assert.Equal(await desk.CardMessageIdAsync(), (await desk.ConversationAsync()).AgentCardMessageId);

        // Asking again does not open a second topic.
        var again = await desk.Customer.SendAsync("/human");
        Assert.Contains("already in the queue", Texts(again), StringComparison.Ordinal);
        Assert.Single(desk.Telegram.CallsTo("createForumTopic"));
    }

    [Fact]
    public async Task TwoAgentsPressingClaimTogetherLeaveExactlyOneOwnerAndTheOtherGetsAnAlert()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_002);
        await desk.Customer.SendAsync("/human");
        var conversationId = (await desk.ConversationAsync()).Id;

        var answers = await desk.PressTogetherAsync(HandoffTexts.ClaimData(conversationId), HandoffDesk.AgentAnna, HandoffDesk.AgentBen);

        var winners = answers.Where(a => !a.Alert).ToList();
        var loser = Assert.Single(answers, a => a.Alert);
        var winner = Assert.Single(winners);
        var conversation = await desk.ConversationAsync();
        Assert.Equal(ConversationStatus.Claimed, conversation.Status);
        var owner = await desk.Host.QueryAsync(db => db.Agents.SingleAsync(a => a.Id == conversation.AssignedAgentId));
        Assert.Equal(winner.AgentId, owner.TelegramUserId);
        Assert.Contains($"Already claimed by {owner.DisplayName}", loser.Text, StringComparison.Ordinal);
        Assert.Contains(desk.Customer.Messages, m => m.Text("text")!.Contains($"{owner.DisplayName}</b> from our team has joined", StringComparison.Ordinal));
        Assert.Contains(desk.Telegram.CallsTo("editForumTopic"), c => c.Text("name")!.Contains(owner.DisplayName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClaimsRacingThroughTheDeskFromTwoScopesHaveOneWinner()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_003);
        await desk.Customer.SendAsync("/human");
        var conversationId = (await desk.ConversationAsync()).Id;
        var agentIds = await desk.Host.QueryAsync(db => db.Agents.OrderBy(a => a.Id).Select(a => a.Id).ToListAsync());

        // Each claim in its own scope (own DbContext and connection), as two replicas would run them.
        var results = await Task.WhenAll(agentIds.Select(async agentId =>
        {
            await using var scope = desk.Host.WorkerServices.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IAgentDesk>().ClaimAsync(conversationId, agentId, TestContext.Current.CancellationToken);
        })).WaitAsync(Gateway.GatewayHost.Timeout, TestContext.Current.CancellationToken);

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(agentIds.Count - 1, results.Count(r => !r.Succeeded && r.Message.StartsWith("Already claimed by", StringComparison.Ordinal)));
        Assert.Equal(ConversationStatus.Claimed, (await desk.ConversationAsync()).Status);
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAgentPressingClaimGetsAnAlertAndNothingChanges()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_004);
        await desk.Customer.SendAsync("/human");
        var before = await desk.ConversationAsync();
        var customerMessages = desk.Customer.Messages.Count;

        var (text, alert) = await desk.PressOnCardAsync(HandoffDesk.Outsider, HandoffTexts.ClaimData(before.Id));

        Assert.True(alert);
        Assert.Contains("Only registered agents", text, StringComparison.Ordinal);
        var after = await desk.ConversationAsync();
        Assert.Equal(ConversationStatus.WaitingForAgent, after.Status);
        Assert.Null(after.AssignedAgentId);
        Assert.Equal(customerMessages, desk.Customer.Messages.Count);
    }

    [Fact]
    public async Task RepliesAreRelayedBothWaysSignedAndNotesAndOtherAgentsStayInTheGroup()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_005);
        await desk.Customer.SendAsync("/human");
        var conversation = await desk.ConversationAsync();
        await desk.PressOnCardAsync(HandoffDesk.AgentAnna, HandoffTexts.ClaimData(conversation.Id));
        var seen = desk.Customer.Messages.Count;

        await desk.WriteInConversationAsync(HandoffDesk.AgentAnna, "Hi Alice, I <3 your project & can help.");
        await desk.WriteInConversationAsync(HandoffDesk.AgentBen, "Ben here, just chatting with Anna");
        await desk.WriteInConversationAsync(HandoffDesk.AgentAnna, "/note prefers email, budget is tight");
        var toCustomer = desk.Customer.Messages.Skip(seen).ToList();

        var reply = Assert.Single(toCustomer);
        Assert.Equal("<b>Anna</b>: Hi Alice, I &lt;3 your project &amp; can help.", reply.Text("text"));
        Assert.Equal("HTML", reply.Text("parse_mode"), ignoreCase: true);

        var groupBefore = desk.GroupMessages.Count;
        var customerBefore = desk.Customer.Messages.Count;
        await desk.Customer.SendAsync("Great, when can we talk?");
        Assert.Equal(customerBefore, desk.Customer.Messages.Count); // the bot stays quiet while a person has the conversation
        var relayed = desk.GroupMessages.Skip(groupBefore).Single();
        Assert.Equal(conversation.AgentTopicId, (int?)relayed.Number("message_thread_id"));
        Assert.Contains("Great, when can we talk?", relayed.Text("text"), StringComparison.Ordinal);

        var transcript = await desk.TranscriptAsync(conversation.Id);
        var agentMessage = Assert.Single(transcript, m => m.SenderType == SenderType.Agent && !m.IsInternalNote);
        Assert.Contains("Hi Alice", agentMessage.Text, StringComparison.Ordinal);
        Assert.NotNull(agentMessage.AgentId);
        var note = Assert.Single(transcript, m => m.IsInternalNote);
        Assert.Equal("prefers email, budget is tight", note.Text);
        Assert.DoesNotContain(desk.Customer.Messages, m => m.Text("text")!.Contains("prefers email", StringComparison.Ordinal));
        Assert.DoesNotContain(desk.Customer.Messages, m => m.Text("text")!.Contains("Ben here", StringComparison.Ordinal));
        Assert.NotNull((await desk.ConversationAsync()).FirstAgentReplyAt);
    }

    [Fact]
    public async Task CloseAsksTheUserForARatingAndTheRatingIsStoredOnce()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_006);
        await desk.Customer.SendAsync("/human");
        var conversation = await desk.ConversationAsync();
        await desk.PressOnCardAsync(HandoffDesk.AgentAnna, HandoffTexts.ClaimData(conversation.Id));

        await desk.WriteInConversationAsync(HandoffDesk.AgentAnna, "/close");

        var closed = await desk.ConversationAsync();
        Assert.Equal(ConversationStatus.Closed, closed.Status);
        var ratingQuestion = desk.Customer.Messages.Last();
        Assert.Equal(Enumerable.Range(1, 5).Select(r => HandoffTexts.CsatData(conversation.Id, r)), IntakeChat.Buttons(ratingQuestion));
        Assert.Contains(desk.Telegram.CallsTo("editForumTopic"), c => c.Text("name")!.StartsWith("✅ Closed", StringComparison.Ordinal));

        await desk.Customer.PressAsync(HandoffTexts.CsatData(conversation.Id, 4));
        await desk.Customer.PressAsync(HandoffTexts.CsatData(conversation.Id, 1)); // a second press changes nothing

        var rated = await desk.Host.QueryAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == conversation.Id));
        Assert.Equal(4, rated.CsatRating);
        Assert.Contains(desk.Telegram.CallsTo("answerCallbackQuery"), c => c.Text("text")?.Contains("already rated", StringComparison.Ordinal) == true);

        await AssertExportedAsync(desk, "csat_ratings_total{rating=\"4\"}");
        await AssertExportedAsync(desk, "conversations_escalated_total{reason=\"user_request\"}");
        await AssertExportedAsync(desk, "handoff_time_to_claim_seconds_count");
        Assert.DoesNotContain(((await MetricsAsync(desk)).Split('\n')), l => l.StartsWith("csat_ratings_total{", StringComparison.Ordinal) && l.Contains("rating=\"1\"", StringComparison.Ordinal));
    }

    private static async Task<string> MetricsAsync(HandoffDesk desk)
    {
        using var client = desk.Host.Api;
        return await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken)
            .WaitAsync(Gateway.GatewayHost.Timeout, TestContext.Current.CancellationToken);
    }

    /// <summary>The series is exported with a value of at least 1 (the exporter refreshes on its own schedule, so this polls).</summary>
    private static async Task AssertExportedAsync(HandoffDesk desk, string series)
    {
        var deadline = DateTime.UtcNow + Gateway.GatewayHost.Timeout;
        var metrics = "";
        while (DateTime.UtcNow < deadline)
        {
            metrics = await MetricsAsync(desk);
            var brace = series.IndexOf('{', StringComparison.Ordinal);
            var (name, label) = brace < 0 ? (series, "") : (series[..brace], series[(brace + 1)..^1]);
            var line = metrics.Split('\n').FirstOrDefault(l => !l.StartsWith('#')
                && (l.StartsWith(name + " ", StringComparison.Ordinal) || (l.StartsWith(name + "{", StringComparison.Ordinal) && l[..l.IndexOf('}', StringComparison.Ordinal)].Contains(label, StringComparison.Ordinal))));
            if (line is not null && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1)
            {
                return;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{series} not exported. /metrics:\n{string.Join('\n', metrics.Split('\n').Where(l => l.Contains("csat", StringComparison.Ordinal) || l.Contains("escalated", StringComparison.Ordinal) || l.Contains("handoff", StringComparison.Ordinal)))}");
    }

    [Fact]
    public async Task TransferIsRefusedForAnAgentAndDoneByASupervisor()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_007);
        await desk.Customer.SendAsync("/human");
        var conversation = await desk.ConversationAsync();
        await desk.PressOnCardAsync(HandoffDesk.AgentAnna, HandoffTexts.ClaimData(conversation.Id));
        var anna = await desk.Host.QueryAsync(db => db.Agents.SingleAsync(a => a.TelegramUserId == HandoffDesk.AgentAnna));
        var ben = await desk.Host.QueryAsync(db => db.Agents.SingleAsync(a => a.TelegramUserId == HandoffDesk.AgentBen));

        await desk.WriteInConversationAsync(HandoffDesk.AgentAnna, "/transfer @ben");
        Assert.Equal(anna.Id, (await desk.ConversationAsync()).AssignedAgentId);
        Assert.Contains(desk.GroupMessages, m => m.Text("text")!.Contains("Only a supervisor or an admin can transfer", StringComparison.Ordinal));

        await desk.WriteInConversationAsync(HandoffDesk.SupervisorSue, "/transfer @Ben");
        var transferred = await desk.ConversationAsync();
        Assert.Equal(ConversationStatus.Claimed, transferred.Status);
        Assert.Equal(ben.Id, transferred.AssignedAgentId);
        Assert.Contains(desk.Customer.Messages, m => m.Text("text")!.Contains("<b>Ben</b> from our team is taking over", StringComparison.Ordinal));

        // Now only Ben's messages reach the customer.
        var seen = desk.Customer.Messages.Count;
        await desk.WriteInConversationAsync(HandoffDesk.AgentAnna, "Anna again");
        await desk.WriteInConversationAsync(HandoffDesk.AgentBen, "Ben here");
        Assert.Equal(["<b>Ben</b>: Ben here"], desk.Customer.Messages.Skip(seen).Select(m => m.Text("text")));
    }

    [Fact]
    public async Task InAPlainGroupTheCardIsOneMessageAndAgentsAnswerByReplyingToIt()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_008, isForum: false);
        await desk.Customer.SendAsync("Hello there");

        await desk.Customer.ActAsync(Testing.FakeTelegram.Updates.Callback(820_008_900, desk.Customer.UserId,
            HandoffTexts.RequestData(EscalationReasons.FaqDeclined), messageId: 1));
        var conversation = await desk.ConversationAsync();
        Assert.Equal(EscalationReasons.FaqDeclined, conversation.EscalationReason);
        Assert.Empty(desk.Telegram.CallsTo("createForumTopic"));
        var card = desk.Card(conversation.Id);
        Assert.Null(card.Number("message_thread_id"));
        Assert.Contains("FAQ answer did not help", card.Text("text"), StringComparison.Ordinal);

        await desk.PressOnCardAsync(HandoffDesk.AgentBen, HandoffTexts.ClaimData(conversation.Id));
        var seen = desk.Customer.Messages.Count;
        await desk.WriteInConversationAsync(HandoffDesk.AgentBen, "Hello from Ben");
        Assert.Equal(["<b>Ben</b>: Hello from Ben"], desk.Customer.Messages.Skip(seen).Select(m => m.Text("text")));

        var groupBefore = desk.GroupMessages.Count;
        await desk.Customer.SendAsync("Thanks Ben");
        var relayed = desk.GroupMessages.Skip(groupBefore).Single();
        Assert.Equal(await desk.CardMessageIdAsync(), (int?)relayed.Json("reply_parameters")?["message_id"]?.GetValue<int>());
        Assert.Contains($"#c{conversation.Id}", relayed.Text("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideBusinessHoursTheUserGetsAnAwayMessageAndTheGroupStillGetsTheCard()
    {
        // Saturday 2026-11-28 12:00 UTC; the team works Monday to Friday, 09:00-18:00 in Berlin.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        await using var desk = await HandoffDesk.StartAsync(stack, 820_009, time: time, adjust: settings =>
        {
            foreach (var key in settings.Keys.Where(k => k.StartsWith("Handoff:BusinessHours:", StringComparison.Ordinal)).ToList())
            {
                settings.Remove(key);
            }

            settings["Handoff:BusinessHours:TimeZone"] = "Europe/Berlin";
            settings["Handoff:BusinessHours:Start"] = "09:00";
            settings["Handoff:BusinessHours:End"] = "18:00";
        });

        var replies = await desk.Customer.SendAsync("/human");

        var away = Texts(replies);
        Assert.Contains("offline right now", away, StringComparison.Ordinal);
        Assert.Contains("Mon–Fri 09:00–18:00 (Europe/Berlin)", away, StringComparison.Ordinal);
        Assert.Contains("from Monday 09:00", away, StringComparison.Ordinal);
        var conversation = await desk.ConversationAsync();
        Assert.Equal(ConversationStatus.WaitingForAgent, conversation.Status);
        Assert.Contains("Outside business hours", desk.Card(conversation.Id).Text("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEscalationNobodyClaimsIsPingedAgainWithSupervisorsMentionedAndTheUserReassured()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var desk = await HandoffDesk.StartAsync(stack, 820_010, time: time,
            adjust: settings => settings["Handoff:ClaimReminderMinutes"] = "5");
        await desk.Customer.SendAsync("/human");
        var conversation = await desk.ConversationAsync();
        var escalatedAt = time.GetUtcNow();

        // Time moves in the reminder job's poll steps, giving the job a moment to run after each.
        for (var step = 0; step < 8; step++)
        {
            time.Advance(ClaimReminderService.PollInterval);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await desk.Host.WaitForOutboxDrainedAsync();
        Assert.DoesNotContain(desk.GroupMessages, m => m.Text("text")!.StartsWith('⏰'));

        Testing.FakeTelegram.RecordedCall? ping = null;
        var deadline = DateTime.UtcNow + Gateway.GatewayHost.Timeout;
        while (ping is null && DateTime.UtcNow < deadline)
        {
            time.Advance(ClaimReminderService.PollInterval);
            await Task.Delay(200, TestContext.Current.CancellationToken);
            ping = desk.GroupMessages.FirstOrDefault(m => m.Text("text")!.StartsWith('⏰'));
        }

        Assert.NotNull(ping);
        Assert.True(time.GetUtcNow() - escalatedAt >= TimeSpan.FromMinutes(5));
        await desk.Host.WaitForOutboxDrainedAsync();

        Assert.Contains("@sue", ping.Text("text"), StringComparison.Ordinal);
        Assert.DoesNotContain("@anna", ping.Text("text"), StringComparison.Ordinal);
        Assert.Equal(conversation.AgentTopicId, (int?)ping.Number("message_thread_id"));
        Assert.Equal([HandoffTexts.ClaimData(conversation.Id)], IntakeChat.Buttons(ping));
        var reassured = await desk.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == desk.Customer.UserId
            && c.Text("text")!.Contains("haven't forgotten", StringComparison.Ordinal), Gateway.GatewayHost.Timeout);
        Assert.NotNull(reassured);
        Assert.Single(desk.Customer.Messages, m => m.Text("text")!.Contains("haven't forgotten", StringComparison.Ordinal));
        Assert.InRange((await desk.ConversationAsync()).ClaimRemindersSent, 1, 2);
    }

    [Fact]
    public async Task BotHandsTheConversationBackAndTheBotAnswersAgain()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_011);
        await desk.Customer.SendAsync("/human");

        var back = await desk.Customer.SendAsync("/bot");

        Assert.Contains("back with the assistant", Texts(back), StringComparison.Ordinal);
        Assert.Equal(ConversationStatus.Bot, (await desk.ConversationAsync()).Status);
        Assert.Contains(desk.GroupMessages, m => m.Text("text")!.Contains("went back to the bot", StringComparison.Ordinal));
        var answered = await desk.Customer.SendAsync("hello");
        Assert.NotEmpty(answered);
    }

    [Fact]
    public async Task TwoMessagesTheBotDoesNotUnderstandInARowEscalate()
    {
        await using var desk = await HandoffDesk.StartAsync(stack, 820_012);

        await desk.Customer.SendAsync("zxqv plorbt wug snarfle");
        Assert.Equal(ConversationStatus.Bot, (await desk.ConversationAsync()).Status);
        await desk.Customer.SendAsync("blorptastic quibbly wafflenox");

        // Not-understood messages go to the assistant (the Worker): the second one escalates from there, after the reply.
        var conversation = await desk.ConversationAsync();
        var deadline = DateTime.UtcNow + Dev2Prod.IntegrationTests.Gateway.GatewayHost.Timeout;
        while (conversation.Status != ConversationStatus.WaitingForAgent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            conversation = await desk.ConversationAsync();
        }

        Assert.Equal(ConversationStatus.WaitingForAgent, conversation.Status);
        Assert.Equal(EscalationReasons.RepeatedFallback, conversation.EscalationReason);
    }
}
