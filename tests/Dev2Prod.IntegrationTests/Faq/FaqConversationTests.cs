using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Dev2Prod.IntegrationTests.Faq;

/// <summary>The knowledge base in conversations and through the parse API, against the real classifier.</summary>
public sealed class FaqConversationTests(StackFixture stack) : IAsyncLifetime
{
    private const string ApiKey = "faq-test-api-key";
    private GatewayHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await GatewayHost.StartAsync(stack, new Dictionary<string, string?> { ["Api:AdminApiKey"] = ApiKey }, isolatedKnowledge: true);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public static TheoryData<string> Topics => ["pricing", "nda", "hosting", "mobile-apps", "maintenance", "careers", "timezone", "refund"];

    [Theory]
    [MemberData(nameof(Topics))]
    public async Task AQuestionAboutATopicGetsTheStoredAnswerThenTheFeedbackQuestion(string topicId)
    {
        var entry = await _host.QueryAsync(db => db.FaqEntries.SingleAsync(e => e.Id == topicId, TestContext.Current.CancellationToken));
        var chatId = 7000 + Topics.ToList().FindIndex(t => t.Data == topicId);

        await _host.PostUpdateAsync(Updates.Text(900_000 + chatId, chatId, entry.Phrasings[0]));
        var replies = await _host.Telegram.WaitForCallsAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, 2, GatewayHost.Timeout);

        Assert.Equal(entry.Answer, replies[0].Text("text"));
        Assert.Equal("Did this answer your question?", replies[1].Text("text"));
        Assert.Contains($"faq:y:{topicId}", replies[1].Text("reply_markup"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditedAnswerAndANewPhrasingTakeEffectWithoutARestart()
    {
        const long chatId = 7100;
        const string phrasing = "zorblax quantum llama paperwork";
        await _host.PostUpdateAsync(Updates.Text(910_001, chatId, phrasing));
        var before = await _host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, GatewayHost.Timeout);
        var knowledge = _host.ApiServices.GetRequiredService<FaqKnowledgeBase>();
        var versionBefore = knowledge.Version;

        await _host.QueryAsync(async db =>
        {
            var nda = await db.FaqEntries.SingleAsync(e => e.Id == "nda", TestContext.Current.CancellationToken);
            nda.Answer = "Yes: we sign your NDA within one business day. <b>Edited</b>.";
            nda.Phrasings = [.. nda.Phrasings, phrasing];
            nda.UpdatedAt = DateTimeOffset.UtcNow;
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_host.RedisConnectionString))
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("dev2prod:faq:changed"), "1");
        }

        // The publish triggers a reload in the background; rebuilding the classifier takes a few seconds.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (knowledge.Version == versionBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        _host.Telegram.ClearCalls();
        await _host.PostUpdateAsync(Updates.Text(910_100, chatId, phrasing));
        var after = (await _host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, GatewayHost.Timeout)).Text("text") ?? "";

        Assert.DoesNotContain("Edited", before.Text("text"), StringComparison.Ordinal);
        Assert.Contains("we sign your NDA within one business day", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoOnTheFeedbackOffersAlternativesAndYesIsRecorded()
    {
        const long chatId = 7200;
        await _host.PostUpdateAsync(Updates.Callback(920_001, chatId, "faq:n:pricing", messageId: 5));
        var offer = await _host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, GatewayHost.Timeout);
        await _host.PostUpdateAsync(Updates.Callback(920_002, chatId, "faq:y:nda", messageId: 6));
        await _host.WaitForInboxDrainedAsync();

        var feedback = await _host.QueryAsync(db => db.AuditLog.Where(a => a.Action == "faq.feedback").OrderBy(a => a.Id)
            .Select(a => a.Target + "=" + a.Details).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Sorry that didn't help", offer.Text("text"), StringComparison.Ordinal);
        Assert.Equal(["pricing=not helpful", "nda=helpful"], feedback);
        Assert.True(_host.Telegram.CallsTo("answerCallbackQuery").Count() >= 2);
    }

    [Fact]
    public async Task FaqCommandShowsCategoriesAndACategoryShowsItsTopics()
    {
        const long chatId = 7300;
        await _host.PostUpdateAsync(Updates.Text(930_001, chatId, "/faq"));
        var menu = await _host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, GatewayHost.Timeout);
        var firstCategory = menu.Json("reply_markup")!["inline_keyboard"]![0]![0]!;

        await _host.PostUpdateAsync(Updates.Callback(930_002, chatId, firstCategory["callback_data"]!.GetValue<string>(), messageId: 1));
        var topics = await _host.Telegram.WaitForCallsAsync(c => c.Method == "sendMessage" && c.ChatId == chatId, 2, GatewayHost.Timeout);

        Assert.True(menu.Json("reply_markup")!["inline_keyboard"]!.AsArray().Count >= 5);
        Assert.Contains(firstCategory["text"]!.GetValue<string>(), topics[1].Text("text"), StringComparison.Ordinal);
        Assert.Contains("faq:t:", topics[1].Text("reply_markup"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryStoredAnswerIsAcceptedByTelegramsHtmlParser()
    {
        var entries = await _host.QueryAsync(db => db.FaqEntries.ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(47, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Null(FakeTelegramServer.ValidateHtml(e.Answer));
            Assert.True(e.Answer.Length < 4096);
        });
    }

    [Fact]
    public async Task ParseReturnsRasasShapeWithTheTopFive()
    {
        using var http = _host.Api;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/nlu/parse") { Content = JsonContent.Create(new { text = "how much do you charge per hour?" }) };
        request.Headers.Add("X-Api-Key", ApiKey);

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("how much do you charge per hour?", body["text"]!.GetValue<string>());
        Assert.Equal("faq.hourly-rate", body["intent"]!["name"]!.GetValue<string>());
        Assert.InRange(body["intent"]!["confidence"]!.GetValue<double>(), 0.0, 1.0);
        var ranking = body["ranking"]!.AsArray();
        Assert.Equal(5, ranking.Count);
        Assert.Equal("faq.hourly-rate", ranking[0]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "{\"text\":\"hello\"}", HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", "{\"text\":\"hello\"}", HttpStatusCode.Unauthorized)]
    [InlineData(ApiKey, "{\"text\":\"\"}", HttpStatusCode.BadRequest)]
    [InlineData(ApiKey, "{}", HttpStatusCode.BadRequest)]
    public async Task ParseRequiresTheKeyAndAText(string? key, string json, HttpStatusCode expected)
    {
        using var http = _host.Api;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/nlu/parse") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ParseRefusesTextOverTheLimit()
    {
        using var http = _host.Api;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/nlu/parse") { Content = JsonContent.Create(new { text = new string('a', 4097) }) };
        request.Headers.Add("X-Api-Key", ApiKey);

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
