using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Dev2Prod.Core.Observability;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing;
using Dev2Prod.Testing.FakeTelegram;

namespace Dev2Prod.IntegrationTests.Observability;

/// <summary>
/// One Telegram update is one trace: the webhook request, the inbox processing (a later loop), its Postgres
/// commands and the Worker's Bot API call that delivers the reply all share the request's trace id.
/// </summary>
public sealed class TracePropagationTests(StackFixture stack)
{
    private const long UserId = 850_311;

    [Fact]
    public async Task WebhookInboxAndOutboxSendShareOneTrace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var host = await GatewayHost.StartAsync(stack);
        const long updateId = UserId * 1_000;
        using (var response = await host.PostUpdateAsync(Updates.Text(updateId, UserId, "/start")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await host.WaitForInboxDrainedAsync();
        await host.WaitForOutboxDrainedAsync();
        await host.Telegram.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == UserId, GatewayHost.Timeout);

        var inbox = await WaitForAsync(() => spans.FirstOrDefault(a =>
            a.Source.Name == MessagingTracing.SourceName && a.OperationName == "inbox process" && Equals(a.GetTagItem("telegram.update.id"), updateId)));
        var trace = inbox.TraceId;

        var request = await WaitForAsync(() => spans.FirstOrDefault(a => a.TraceId == trace && a.Kind == ActivityKind.Server));
        Assert.Contains("/telegram/webhook", request.DisplayName + " " + request.GetTagItem("url.path"), StringComparison.Ordinal);
        Assert.Equal(request.SpanId, inbox.ParentSpanId);

        var send = await WaitForAsync(() => spans.FirstOrDefault(a =>
            a.TraceId == trace && a.Source.Name == MessagingTracing.SourceName && a.OperationName == "outbox sendMessage"));
        Assert.Equal(ActivityKind.Producer, send.Kind);
        // The Bot API call itself (HttpClient) is a child of the send span, in the same trace.
        await WaitForAsync(() => spans.FirstOrDefault(a => a.TraceId == trace && a.Kind == ActivityKind.Client && a.ParentSpanId == send.SpanId));
        // Postgres commands of the handling are in the trace too.
        await WaitForAsync(() => spans.FirstOrDefault(a => a.TraceId == trace && a.Source.Name == "Npgsql"));
    }

    private static async Task<Activity> WaitForAsync(Func<Activity?> find)
    {
        var deadline = DateTime.UtcNow + GatewayHost.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The expected span was not recorded");
    }
}
