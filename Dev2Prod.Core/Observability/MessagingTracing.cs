using System.Diagnostics;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// Keeps one Telegram update one trace across the queues it passes through (inbox table, outbox table, Redis
/// streams): the producer stores the W3C <c>traceparent</c> of the current activity with the work item, the
/// consumer starts its span as a child of it. Exported with the other <c>Dev2Prod.*</c> sources.
/// </summary>
public static class MessagingTracing
{
    public const string SourceName = "Dev2Prod.Messaging";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The traceparent to store with a queued work item, or null when nothing is being traced.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts the consumer span of a queued work item as a child of the span that queued it (or a new root when
    /// it carried none or an unreadable one). Null when no listener samples it.
    /// </summary>
    public static Activity? StartConsumer(string name, string? traceParent, ActivityKind kind = ActivityKind.Consumer)
    {
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent);
        // The consumer runs on a background loop whose ambient activity (if any) is unrelated: parent explicitly.
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            return Source.StartActivity(name, kind, parent);
        }
        finally
        {
            if (Activity.Current is null)
            {
                Activity.Current = previous;
            }
        }
    }
}
