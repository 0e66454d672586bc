extern alias api;

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dev2Prod.Core.Domain;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using IIntakeQuestionDetector = api::Dev2Prod.Api.Features.Intake.IIntakeQuestionDetector;
using IIntentHandler = api::Dev2Prod.Api.Features.Conversations.IIntentHandler;
using IntakeQuestionAnswer = api::Dev2Prod.Api.Features.Intake.IntakeQuestionAnswer;
using SessionStore = api::Dev2Prod.Api.Features.Conversations.SessionStore;

namespace Dev2Prod.IntegrationTests.Intake;

/// <summary>
/// The project intake end to end: the webhook, the real pipeline, Postgres and Redis, the Worker's sender and
/// the real Telegram.Bot client against the fake Bot API server.
/// </summary>
public sealed class IntakeFlowTests(StackFixture stack)
{
    private const long AgentGroup = -1001234567890;

    private const string HotDescription =
        "A patient portal for our 12 clinics <with> online booking & payments with Stripe, and a React dashboard for the staff.";

    /// <summary>Pacing as loose as Telegram allows bursts, so a whole intake takes seconds.</summary>
    private static Dictionary<string, string?> Settings(long? agentGroup = null) => new()
    {
        ["Telegram:Sending:PerChatPerSecond"] = "100",
        ["Telegram:Sending:PerChatBurst"] = "100",
        ["Telegram:AgentGroupChatId"] = agentGroup?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task TheWholeFlowStoresAScoredLeadWithTheExpectedCategory()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_001);

        var step1 = await chat.SendAsync("/project");
        var step2 = await chat.PressAsync("intake:type:ai");
        var step3 = await chat.SendAsync(HotDescription);
        var step4 = await chat.PressAsync("intake:budget:50-150k");
        var step5 = await chat.PressAsync("intake:timeline:asap");
        var step5Decision = await chat.SendAsync("Jane Doe, Acme Ltd");
        var step6 = await chat.PressAsync("intake:decision:yes");
        var summary = await chat.SendAsync("jane@acme.com, +1 415 555 2671");
        var done = await chat.PressAsync("intake:summary:confirm");

        Assert.Contains("Step 1 of 6", step1.Texts(), StringComparison.Ordinal);
        Assert.Equal(
            ["intake:type:web", "intake:type:mobile", "intake:type:mvp", "intake:type:ai", "intake:type:devops", "intake:type:other",
             "intake:type:back", "intake:type:cancel"],
            IntakeChat.Buttons(step1.Single()));
        Assert.Contains("Step 2 of 6", step2.Texts(), StringComparison.Ordinal);
        Assert.Contains("Step 3 of 6", step3.Texts(), StringComparison.Ordinal);
        Assert.Contains("Step 4 of 6", step4.Texts(), StringComparison.Ordinal);
        Assert.Contains("Step 5 of 6", step5.Texts(), StringComparison.Ordinal);
        Assert.Contains("Step 5 of 6", step5Decision.Texts(), StringComparison.Ordinal);
        Assert.Contains("Thanks, Jane!", step5Decision.Texts(), StringComparison.Ordinal);
        Assert.Contains("Step 6 of 6", step6[0].Text("text"), StringComparison.Ordinal);
        Assert.Equal(true, step6[1].Json("reply_markup")?["keyboard"]?[0]?[0]?["request_contact"]?.GetValue<bool>());
        Assert.Equal(true, summary[0].Json("reply_markup")?["remove_keyboard"]?.GetValue<bool>());
        Assert.Contains("Here's your project summary", summary[1].Text("text"), StringComparison.Ordinal);
        Assert.Contains("+14155552671", summary[1].Text("text"), StringComparison.Ordinal);
        var next = Assert.Single(done).Text("text")!;
        Assert.Contains("within <b>1 business hour</b>", next, StringComparison.Ordinal);
        Assert.Contains("https://dev2production.tech/book", next, StringComparison.Ordinal);

        var lead = Assert.Single(await chat.LeadsAsync());
        Assert.Equal("ai", lead.Category);
        Assert.Equal(LeadStatus.New, lead.Status);
        Assert.Equal(LeadScore.Hot, lead.ScoreBand);
        Assert.Equal(90, lead.Score);
        Assert.Equal(await host.QueryAsync(db => db.Conversations.Where(c => c.ChatId == chat.UserId).Select(c => c.Id).SingleAsync()), lead.ConversationId);
        Assert.Contains($"#{lead.Id}", next, StringComparison.Ordinal);

        var answers = JsonNode.Parse(lead.AnswersJson)!;
        Assert.Equal(HotDescription, answers["description"]!.GetValue<string>());
        Assert.Equal("50-150k", answers["budget"]!.GetValue<string>());
        Assert.Equal("asap", answers["timeline"]!.GetValue<string>());
        Assert.Equal("Jane Doe", answers["name"]!.GetValue<string>());
        Assert.Equal("Acme Ltd", answers["company"]!.GetValue<string>());
        Assert.Equal("yes", answers["decidesBudget"]!.GetValue<string>());
        Assert.Equal("jane@acme.com", answers["email"]!.GetValue<string>());
        Assert.Equal("+14155552671", answers["phone"]!.GetValue<string>());

        var breakdown = JsonNode.Parse(lead.ScoreBreakdownJson)!.AsArray();
        Assert.Equal(["budget", "timeline", "decision_maker", "description", "contact", "email_domain", "project_type"],
            breakdown.Select(f => f!["factor"]!.GetValue<string>()));
        Assert.Equal(lead.Score, breakdown.Sum(f => f!["points"]!.GetValue<int>()));
        Assert.All(breakdown, f => Assert.False(string.IsNullOrEmpty(f!["reason"]!.GetValue<string>())));
        Assert.Equal(100, breakdown.Sum(f => f!["max"]!.GetValue<int>()));

        Assert.Null((await chat.StoredSessionAsync())["flow"]?.GetValue<string>());
        Assert.Contains(host.ApiLogs.Entries, e => e.Message.Contains("no agents' group is configured", StringComparison.Ordinal));
        await AssertLeadCountedAsync(host, "hot");
        AssertNoErrorsLogged(host);
    }

    [Fact]
    public async Task EveryInvalidAnswerGetsItsOwnMessageAndTheSameStepAgain()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_002);
        await chat.SendAsync("/project");

        var notAnOption = await chat.SendAsync("something completely different");
        await chat.PressAsync("intake:type:web");
        var tooShort = await chat.SendAsync("An app");
        var tooLong = await chat.SendAsync("An app " + new string('x', 2000));
        var noWords = await chat.SendAsync("12345678901234567890 12345");
        await chat.SendAsync("A web shop for our bakery with online orders and delivery slots.");
        var typedBudget = await chat.SendAsync("$5-15k");
        await chat.PressAsync("intake:timeline:1-3m");
        var noName = await chat.SendAsync("12345");
        var emailAsName = await chat.SendAsync("jane@bakery.com");
        await chat.SendAsync("Jane Doe");
        await chat.PressAsync("intake:decision:shared");
        var badEmail = await chat.SendAsync("jane@bakery");
        var noCountryCode = await chat.SendAsync("415 555 2671");
        var badPhone = await chat.SendAsync("+1 23 45");
        var nothing = await chat.SendAsync("whenever suits you");

        AssertError(notAnOption, "pick one of the options", 1);
        AssertError(tooShort, "a bit short for us to understand the project (6 characters)", 2);
        AssertError(tooLong, "the limit is 2,000", 2);
        AssertError(noWords, "in words", 2);
        Assert.Contains("Step 4 of 6", Assert.Single(typedBudget).Text("text"), StringComparison.Ordinal);
        AssertError(noName, "tell me your name", 5);
        AssertError(emailAsName, "contact details come in the next step", 5);
        AssertError(badEmail, "\"jane@bakery\" doesn't look like a valid email address", 6);
        AssertError(noCountryCode, "international format with the country code", 6);
        AssertError(badPhone, "isn't a valid phone number", 6);
        AssertError(nothing, "couldn't find an email address or a phone number", 6);
        Assert.Equal("contact", (await chat.StoredSessionAsync())["step"]?.GetValue<string>());
        Assert.Empty(await chat.LeadsAsync());

        static void AssertError(IReadOnlyList<RecordedCall> replies, string error, int step)
        {
            var reply = Assert.Single(replies).Text("text")!;
            Assert.Contains(error, reply, StringComparison.Ordinal);
            Assert.Contains($"Step {step} of 6", reply, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BackReturnsToThePreviousStepAndEditJumpsToAStepThenBackToTheSummary()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_003);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:mobile");
        await chat.SendAsync("A mobile app for dog walkers to find and book walks nearby.");

        var backToDescription = await chat.PressAsync("intake:budget:back");
        var kept = await chat.PressAsync("intake:description:keep");
        await chat.PressAsync("intake:budget:15-50k");
        var backToBudget = await chat.PressAsync("intake:timeline:back");
        await chat.PressAsync("intake:budget:5-15k");
        await chat.PressAsync("intake:timeline:3-6m");
        await chat.SendAsync("Sam Lee");
        await chat.PressAsync("intake:decision:yes");
        await chat.PressAsync("intake:contact:tg");
        var editMenu = await chat.PressAsync("intake:summary:edit");
        var budgetAgain = await chat.PressAsync("intake:edit:budget");
        var summary = await chat.PressAsync("intake:budget:50-150k");
        await chat.PressAsync("intake:summary:edit");
        await chat.PressAsync("intake:edit:about");
        await chat.SendAsync("Sam Lee, Walkies GmbH");
        var afterAbout = await chat.PressAsync("intake:decision:shared");
        await chat.PressAsync("intake:summary:confirm");

        var description = Assert.Single(backToDescription).Text("text")!;
        Assert.Contains("Step 2 of 6", description, StringComparison.Ordinal);
        Assert.Contains("Your current answer: <i>A mobile app for dog walkers", description, StringComparison.Ordinal);
        Assert.Contains("Step 3 of 6", Assert.Single(kept).Text("text"), StringComparison.Ordinal);
        Assert.Contains("intake:budget:15-50k", IntakeChat.Buttons(Assert.Single(backToBudget)));
        Assert.Contains("✓ $15-50k", IntakeChat.ButtonTexts(Assert.Single(backToBudget)));
        Assert.Equal(
            ["intake:edit:type", "intake:edit:description", "intake:edit:budget", "intake:edit:timeline", "intake:edit:about",
             "intake:edit:contact", "intake:edit:back", "intake:edit:cancel"],
            IntakeChat.Buttons(Assert.Single(editMenu)));
        Assert.Contains("Step 3 of 6", Assert.Single(budgetAgain).Text("text"), StringComparison.Ordinal);
        Assert.Contains("<b>Budget:</b> $50-150k", Assert.Single(summary).Text("text"), StringComparison.Ordinal);
        Assert.Contains("<b>Company:</b> Walkies GmbH", Assert.Single(afterAbout).Text("text"), StringComparison.Ordinal);

        var lead = Assert.Single(await chat.LeadsAsync());
        var answers = JsonNode.Parse(lead.AnswersJson)!;
        Assert.Equal("mobile", lead.Category);
        Assert.Equal("50-150k", answers["budget"]!.GetValue<string>());
        Assert.Equal("3-6m", answers["timeline"]!.GetValue<string>());
        Assert.Equal("shared", answers["decidesBudget"]!.GetValue<string>());
        Assert.True(answers["telegramIsFine"]!.GetValue<bool>());
        AssertNoErrorsLogged(host);
    }

    [Fact]
    public async Task BackFromTheFirstStepLeavesTheIntakeForTheMainMenu()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_004);
        await chat.SendAsync("/project");

        var menu = Assert.Single(await chat.PressAsync("intake:type:back"));

        Assert.Contains("intake:start", IntakeChat.Buttons(menu));
        Assert.Null((await chat.StoredSessionAsync())["flow"]?.GetValue<string>());
    }

    [Fact]
    public async Task AnFaqQuestionMidFlowIsAnsweredAndTheIntakeContinuesAtTheSameStep()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings(),
            configureApiServices: services => services.AddScoped<IIntakeQuestionDetector, MvpDurationAnswers>());
        var chat = new IntakeChat(host, 810_005);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:mvp");

        var atDescription = await chat.SendAsync("And how long does it usually take to build an MVP with you");
        await chat.SendAsync("An MVP of a marketplace for second-hand camera gear, web first.");
        var atBudget = await chat.SendAsync("how long does an MVP take");
        var afterBudget = await chat.PressAsync("intake:budget:15-50k");

        Assert.Equal(2, atDescription.Count);
        Assert.Equal(MvpDurationAnswers.Answer, atDescription[0].Text("text"));
        Assert.StartsWith("Shall we continue with your project?", atDescription[1].Text("text"), StringComparison.Ordinal);
        Assert.Contains("Step 2 of 6", atDescription[1].Text("text"), StringComparison.Ordinal);
        Assert.Equal(2, atBudget.Count);
        Assert.Equal(MvpDurationAnswers.Answer, atBudget[0].Text("text"));
        Assert.Contains("Step 3 of 6", atBudget[1].Text("text"), StringComparison.Ordinal);
        Assert.Contains("Step 4 of 6", Assert.Single(afterBudget).Text("text"), StringComparison.Ordinal);
        var session = await chat.StoredSessionAsync();
        Assert.Equal("An MVP of a marketplace for second-hand camera gear, web first.", session["data"]?["description"]?.GetValue<string>());
    }

    // A question the knowledge base cannot answer (one it can is answered: see the FAQ mid-flow tests).
    [Fact]
    public async Task AShortQuestionIsNotTakenAsTheDescriptionAndIsKeptForTheTeam()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_006);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:web");

        var reply = Assert.Single(await chat.SendAsync("Do you like pineapple on pizza?")).Text("text")!;
        await chat.SendAsync("A customer portal for our insurance brokers.");
        await chat.PressAsync("intake:budget:unsure");
        await chat.PressAsync("intake:timeline:6m+");
        await chat.SendAsync("Kim");
        await chat.PressAsync("intake:decision:no");
        await chat.SendAsync("Telegram is fine");
        await chat.PressAsync("intake:summary:confirm");

        Assert.Contains("Good question!", reply, StringComparison.Ordinal);
        Assert.Contains("Shall we continue with your project?", reply, StringComparison.Ordinal);
        Assert.Contains("Step 2 of 6", reply, StringComparison.Ordinal);
        var lead = Assert.Single(await chat.LeadsAsync());
        var answers = JsonNode.Parse(lead.AnswersJson)!;
        Assert.Equal("A customer portal for our insurance brokers.", answers["description"]!.GetValue<string>());
        Assert.Equal(["Do you like pineapple on pizza?"], answers["openQuestions"]!.AsArray().Select(q => q!.GetValue<string>()));
    }

    [Fact]
    public async Task TheIntakeResumesAfterTheRedisSessionIsDeleted()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_007);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:devops");
        await chat.SendAsync("Move our three services from VMs to Kubernetes on AWS.");
        var conversationId = await chat.ConversationIdAsync();

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(host.RedisConnectionString))
        {
            Assert.True(await redis.GetDatabase().KeyDeleteAsync(SessionStore.KeyOf(conversationId)));
        }

        var comeBack = Assert.Single(await chat.SendAsync("hi, I'm back")).Text("text")!;
        var next = Assert.Single(await chat.PressAsync("intake:budget:15-50k")).Text("text")!;

        Assert.Contains("Step 3 of 6", comeBack, StringComparison.Ordinal);
        Assert.Contains("Step 4 of 6", next, StringComparison.Ordinal);
        var session = await chat.StoredSessionAsync();
        Assert.Equal("intake", session["flow"]?.GetValue<string>());
        Assert.Equal("timeline", session["step"]?.GetValue<string>());
        Assert.Equal("Move our three services from VMs to Kubernetes on AWS.", session["data"]?["description"]?.GetValue<string>());
    }

    [Fact]
    public async Task TheIntakeCarriesOverIntoTheNextConversationAfterALongPause()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayHost.StartAsync(stack, Settings(), time: time);
        var chat = new IntakeChat(host, 810_008);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:web");
        var firstConversation = await chat.ConversationIdAsync();

        time.Advance(TimeSpan.FromHours(30)); // past Telegram:ConversationInactivityTimeout: the next message opens a new conversation
        var comeBack = Assert.Single(await chat.SendAsync("An online course platform for yoga teachers, with subscriptions.")).Text("text")!;

        Assert.NotEqual(firstConversation, await chat.ConversationIdAsync());
        Assert.Contains("Step 3 of 6", comeBack, StringComparison.Ordinal);
        Assert.Equal("budget", (await chat.StoredSessionAsync())["step"]?.GetValue<string>());
    }

    [Fact]
    public async Task CancelEndsTheIntakeAndSaysSo()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_009);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:web");

        var byCommand = Assert.Single(await chat.SendAsync("/cancel")).Text("text")!;
        var sessionAfterCommand = await chat.StoredSessionAsync();
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:ai");
        await chat.SendAsync("A support chatbot that answers from our product manuals.");
        await chat.PressAsync("intake:budget:15-50k");
        await chat.PressAsync("intake:timeline:asap");
        await chat.SendAsync("Ana");
        await chat.PressAsync("intake:decision:yes");
        var byButton = await chat.PressAsync("intake:contact:cancel");
        var afterwards = await chat.PressAsync("intake:contact:tg");

        Assert.Contains("cancelled", byCommand, StringComparison.Ordinal);
        Assert.Null(sessionAfterCommand["flow"]?.GetValue<string>());
        var cancelled = Assert.Single(byButton);
        Assert.Contains("I've cancelled your project intake", cancelled.Text("text"), StringComparison.Ordinal);
        Assert.Equal(true, cancelled.Json("reply_markup")?["remove_keyboard"]?.GetValue<bool>());
        Assert.Empty(afterwards);
        // Callback answers are sent right after the update commits, not through the outbox: wait for it.
        await host.Telegram.WaitForCallAsync(c => c.Method == "answerCallbackQuery" && c.Text("text")?.Contains("already ended", StringComparison.Ordinal) == true, GatewayHost.Timeout);
        Assert.Null((await chat.StoredSessionAsync())["flow"]?.GetValue<string>());
        Assert.Empty(await chat.LeadsAsync());
    }

    [Fact]
    public async Task ADoubleTappedButtonNeitherSkipsAStepNorCreatesTwoLeads()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings(AgentGroup));
        var chat = new IntakeChat(host, 810_010);
        await chat.SendAsync("/start");

        var started = await chat.DoubleTapAsync("intake:start");
        await chat.PressAsync("intake:type:web");
        await chat.SendAsync(HotDescription);
        var budget = await chat.DoubleTapAsync("intake:budget:150k+");
        var timeline = await chat.DoubleTapAsync("intake:timeline:asap");
        await chat.SendAsync("Jane Doe, Acme Ltd");
        await chat.PressAsync("intake:decision:yes");
        await chat.SendAsync("jane@acme.com");
        var confirmed = await chat.DoubleTapAsync("intake:summary:confirm");

        Assert.Contains("Step 1 of 6", Assert.Single(started).Text("text"), StringComparison.Ordinal);
        Assert.Contains("Step 4 of 6", Assert.Single(budget).Text("text"), StringComparison.Ordinal);
        Assert.Contains("Step 5 of 6", Assert.Single(timeline).Text("text"), StringComparison.Ordinal);
        Assert.Contains("1 business hour", Assert.Single(confirmed).Text("text"), StringComparison.Ordinal);
        var lead = Assert.Single(await chat.LeadsAsync());
        Assert.Equal("150k+", JsonNode.Parse(lead.AnswersJson)!["budget"]!.GetValue<string>());
        Assert.Equal("asap", JsonNode.Parse(lead.AnswersJson)!["timeline"]!.GetValue<string>());
        await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == AgentGroup, GatewayHost.Timeout);
        await host.WaitForOutboxDrainedAsync();
        Assert.Single(host.Telegram.CallsTo("sendMessage"), c => c.ChatId == AgentGroup);
        var ignored = host.Telegram.CallsTo("answerCallbackQuery").Count(c => c.Text("text")?.Contains("earlier question", StringComparison.Ordinal) == true);
        Assert.Equal(2, ignored); // the second taps on budget and timeline
        Assert.Single(host.Telegram.CallsTo("answerCallbackQuery"), c => c.Text("text")?.Contains("already open", StringComparison.Ordinal) == true);
        Assert.Single(host.Telegram.CallsTo("answerCallbackQuery"), c => c.Text("text")?.Contains("already ended", StringComparison.Ordinal) == true);
        Assert.Contains(host.Telegram.CallsTo("editMessageReplyMarkup"), c => c.ChatId == chat.UserId);
        AssertNoErrorsLogged(host);
    }

    [Fact]
    public async Task AHotLeadIsPostedToTheAgentsGroupAsACardAndAColdOneIsNot()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings(AgentGroup));
        var hot = new IntakeChat(host, 810_011);
        var cold = new IntakeChat(host, 810_012);

        await hot.SendAsync("/project");
        await hot.PressAsync("intake:type:ai");
        await hot.SendAsync(HotDescription);
        await hot.PressAsync("intake:budget:50-150k");
        await hot.PressAsync("intake:timeline:asap");
        await hot.SendAsync("Jane Doe, Acme <Labs> & Co");
        await hot.PressAsync("intake:decision:yes");
        await hot.SendAsync("jane@acme.com +14155552671");
        await hot.PressAsync("intake:summary:confirm");
        var card = await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == AgentGroup, GatewayHost.Timeout);

        await cold.SendAsync("/project");
        await cold.PressAsync("intake:type:other");
        await cold.SendAsync("Maybe a small website for my hobby, not sure yet.");
        await cold.PressAsync("intake:budget:lt5k");
        await cold.PressAsync("intake:timeline:6m+");
        await cold.SendAsync("Bob");
        await cold.PressAsync("intake:decision:no");
        var coldNext = Assert.Single(await cold.PressAsync("intake:contact:tg"), m => m.Text("text")!.Contains("summary", StringComparison.Ordinal));
        var coldDone = Assert.Single(await cold.PressAsync("intake:summary:confirm")).Text("text")!;

        var lead = Assert.Single(await hot.LeadsAsync());
        var text = card.Text("text")!;
        Assert.Contains($"New hot lead #{lead.Id}", text, StringComparison.Ordinal);
        Assert.Contains("score 90/100", text, StringComparison.Ordinal);
        Assert.Contains("<b>Project type:</b> AI / LLM feature", text, StringComparison.Ordinal);
        Assert.Contains("<b>Budget:</b> $50-150k", text, StringComparison.Ordinal);
        Assert.Contains("<b>From:</b> Jane Doe, Acme &lt;Labs&gt; &amp; Co", text, StringComparison.Ordinal);
        Assert.Contains("jane@acme.com · +14155552671", text, StringComparison.Ordinal);
        Assert.Contains("12 clinics &lt;with&gt; online booking &amp; payments", text, StringComparison.Ordinal);
        Assert.Contains("budget: 22/25", text, StringComparison.Ordinal);
        Assert.Contains("tg://user?id=810011", text, StringComparison.Ordinal);
        Assert.Equal("html", card.Text("parse_mode")?.ToLowerInvariant());

        Assert.Contains("Here's your project summary", coldNext.Text("text"), StringComparison.Ordinal);
        Assert.Contains("come back", coldDone, StringComparison.Ordinal);
        Assert.Equal(LeadScore.Cold, Assert.Single(await cold.LeadsAsync()).ScoreBand);
        await host.WaitForOutboxDrainedAsync();
        Assert.Single(host.Telegram.CallsTo("sendMessage"), c => c.ChatId == AgentGroup);
        await AssertLeadCountedAsync(host, "cold");
        AssertNoErrorsLogged(host);
    }

    [Fact]
    public async Task AWarmLeadHearsBackWithinOneBusinessDay()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings(AgentGroup));
        var chat = new IntakeChat(host, 810_013);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:web");
        await chat.SendAsync("A web shop for our bakery with online orders and delivery slots.");
        await chat.PressAsync("intake:budget:15-50k");
        await chat.PressAsync("intake:timeline:1-3m");
        await chat.SendAsync("Jane Doe");
        await chat.PressAsync("intake:decision:shared");
        await chat.SendAsync("jane.doe@gmail.com");

        var next = Assert.Single(await chat.PressAsync("intake:summary:confirm")).Text("text")!;

        Assert.Contains("within <b>1 business day</b>", next, StringComparison.Ordinal);
        Assert.Equal(LeadScore.Warm, Assert.Single(await chat.LeadsAsync()).ScoreBand);
        var card = await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == AgentGroup, GatewayHost.Timeout);
        Assert.Contains("New warm lead", card.Text("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContactSharedWithTelegramsButtonIsAccepted()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_014);
        await chat.SendAsync("/project");
        await chat.PressAsync("intake:type:mvp");
        await chat.SendAsync("A prototype of a fitness tracking app for climbers.");
        await chat.PressAsync("intake:budget:5-15k");
        await chat.PressAsync("intake:timeline:asap");
        await chat.SendAsync("Lee");
        await chat.PressAsync("intake:decision:yes");

        var replies = await chat.ShareContactAsync("14155552671");

        Assert.Equal(2, replies.Count);
        Assert.Equal(true, replies[0].Json("reply_markup")?["remove_keyboard"]?.GetValue<bool>());
        Assert.Contains("+14155552671", replies[1].Text("text"), StringComparison.Ordinal);
        var session = await chat.StoredSessionAsync();
        Assert.Equal("summary", session["step"]?.GetValue<string>());
        Assert.Equal("+14155552671", session["data"]?["phone"]?.GetValue<string>());
        AssertNoErrorsLogged(host);
    }

    [Fact]
    public async Task TheMainMenuOffersStartAProjectAndTheIntentIsRoutedToTheIntake()
    {
        await using var host = await GatewayHost.StartAsync(stack, Settings());
        var chat = new IntakeChat(host, 810_015);

        var menu = Assert.Single(await chat.SendAsync("/start"));
        var started = Assert.Single(await chat.PressAsync("intake:start"));
        var again = Assert.Single(await chat.SendAsync("/project")).Text("text")!;

        Assert.Contains("🚀 Start a project", IntakeChat.ButtonTexts(menu));
        Assert.Contains("Step 1 of 6", started.Text("text"), StringComparison.Ordinal);
        Assert.Contains("let's continue where you stopped", again, StringComparison.Ordinal);
        Assert.Contains("Step 1 of 6", again, StringComparison.Ordinal);
        using var scope = host.ApiServices.CreateScope();
        Assert.Contains(scope.ServiceProvider.GetServices<IIntentHandler>(), h => h.Intent == "intake.start");
    }

    /// <summary>Nothing was refused by the fake Bot API (bad HTML, unknown message, oversized button data) or failed.</summary>
    private static void AssertNoErrorsLogged(GatewayHost host)
    {
        var errors = host.ApiLogs.Entries.Concat(host.WorkerLogs.Entries)
            .Where(e => e.Exception is not null || e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "logged errors: " + string.Join("\n", errors.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    private static async Task AssertLeadCountedAsync(GatewayHost host, string score)
    {
        var line = new Regex($@"^leads_created_total\{{[^}}]*score=""{score}""[^}}]*\}} (?<value>\d+)", RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + GatewayHost.Timeout;
        var metrics = "";
        while (DateTime.UtcNow < deadline)
        {
            using var client = host.Api;
            metrics = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken).WaitAsync(GatewayHost.Timeout, TestContext.Current.CancellationToken);
            if (line.Match(metrics) is { Success: true } match && int.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1)
            {
                return;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"leads_created_total{{score=\"{score}\"}} not exported. /metrics:\n{string.Join('\n', metrics.Split('\n').Where(l => l.Contains("leads", StringComparison.Ordinal)))}");
    }

    /// <summary>A knowledge base that knows one answer, standing in for the FAQ feature.</summary>
    private sealed class MvpDurationAnswers : IIntakeQuestionDetector
    {
        public const string Answer = "An MVP usually takes 6 to 10 weeks.";

        public Task<IntakeQuestionAnswer?> TryAnswerAsync(string text, CancellationToken cancellationToken) =>
            Task.FromResult(text.Contains("how long", StringComparison.OrdinalIgnoreCase) ? new IntakeQuestionAnswer(Answer) : null);
    }
}
