using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.IntegrationTests.Gateway;

/// <summary>
/// Records every log entry of a host, so tests can assert what was (and was not) logged: the formatted message,
/// the structured state values, the active scopes and the exception, as a provider would receive them.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly AsyncLocal<ImmutableStack<string>> _scopes = new();

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        /// <summary>Structured state as <c>key=value</c> pairs (what structured sinks export).</summary>
        public IReadOnlyList<string> State { get; init; } = [];

        /// <summary>Scopes active when the entry was written, innermost first.</summary>
        public IReadOnlyList<string> Scopes { get; init; } = [];

        /// <summary>Everything a sink could write for this entry, in one string.</summary>
        public string AllText => string.Join("\n", [Category, Message, .. State, .. Scopes, Exception?.ToString() ?? ""]);
    }

    private static IEnumerable<string> Describe(object? state)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                yield return $"{key}={value}";
            }
        }

        yield return state?.ToString() ?? "";
    }

    private sealed class CapturingLogger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            var previous = capture._scopes.Value ?? ImmutableStack<string>.Empty;
            capture._scopes.Value = previous.Push(string.Join("; ", Describe(state)));
            return new Scope(() => capture._scopes.Value = previous);
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception)
            {
                State = Describe(state).ToList(),
                Scopes = (capture._scopes.Value ?? ImmutableStack<string>.Empty).ToList(),
            });
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
