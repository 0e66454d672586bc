using System.Diagnostics;
using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Features.Llm;
using StackExchange.Redis;

namespace Dev2Prod.Api.Features.Llm;

/// <summary>
/// Turns a question into a job for the Worker, inside the update's turn: the typing indicator shows at once
/// and the webhook returns without waiting for the model. An update handled twice (a crash before the commit)
/// enqueues once: a short-lived Redis marker per update id guards the add, and the Worker answers a job only
/// after the update's transaction committed (it looks the question up by update id).
/// </summary>
public sealed class LlmQuestionQueue(LlmJobQueue queue, IConnectionMultiplexer redis, TimeProvider time)
{
    // Long enough to cover redeliveries of the same update; short enough that an update which only commits
    // much later (its first tries kept failing) is enqueued again rather than lost.
    private static readonly TimeSpan EnqueueMarkerLifetime = TimeSpan.FromMinutes(2);

    public async Task EnqueueAsync(TurnContext turn, string question)
    {
        turn.RequireConversation();
        var updateId = turn.Update.Id;
        var marker = $"dev2prod:llm:enqueued:{updateId}";
        var db = redis.GetDatabase();
        if (await db.StringSetAsync(marker, "1", EnqueueMarkerLifetime, When.NotExists))
        {
            try
            {
                await queue.EnqueueAsync(new LlmJob
                {
                    UpdateId = updateId,
                    ChatId = turn.Replies.ChatId,
                    TelegramUserId = turn.User?.Id ?? turn.Replies.ChatId,
                    Question = question,
                    TraceParent = Activity.Current?.Id,
                    ConsecutiveFallbacks = turn.Session.ConsecutiveFallbacks,
                    EnqueuedAt = time.GetUtcNow(),
                });
            }
            catch
            {
                await db.KeyDeleteAsync(marker);
                throw;
            }
        }

        turn.Replies.Typing();
    }
}

/// <summary>The classifier's <c>fallback</c>: a question the knowledge base does not cover goes to the model.</summary>
public sealed class LlmFallbackIntentHandler(LlmQuestionQueue questions) : IIntentHandler
{
    public string Intent => IntentNames.Fallback;

    public Task HandleAsync(TurnContext turn, string text) => questions.EnqueueAsync(turn, text);
}

/// <summary>
/// <c>llm:ask</c>, the FAQ's "Ask our AI assistant" button: asks for the question, and the next text message
/// goes to the model whatever the classifier would have made of it.
/// </summary>
public sealed class LlmCallbacks : ICallbackHandler
{
    public const string Prefix = "llm";
    public const string Flow = "llm";
    public const string QuestionStep = "question";

    string ICallbackHandler.Prefix => Prefix;

    public Task HandleAsync(TurnContext turn, string payload)
    {
        if (payload == "ask")
        {
            turn.Session.StartFlow(Flow, QuestionStep);
            turn.Replies.AnswerCallback();
            turn.Replies.Text("Sure! Type your question and our AI assistant will answer it.");
        }
        else
        {
            turn.Replies.AnswerCallback("This button is no longer available.");
        }

        return Task.CompletedTask;
    }
}

/// <summary>The text after "Ask our AI assistant": ahead of the classifier, so it always reaches the model.</summary>
public sealed class LlmQuestionTextHandler(LlmQuestionQueue questions) : ITextHandler
{
    /// <summary>Before every other flow: the user was just asked for exactly this message.</summary>
    public int Order => 5;

    public async Task<bool> TryHandleAsync(TurnContext turn, string text)
    {
        if (turn.Session.Flow != LlmCallbacks.Flow)
        {
            return false;
        }

        turn.Session.EndFlow();
        await questions.EnqueueAsync(turn, text);
        return true;
    }
}
