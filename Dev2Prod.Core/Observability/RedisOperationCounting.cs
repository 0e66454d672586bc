using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// Counts the Redis commands the services issue into <c>redis_operations_total{operation,status}</c>.
/// StackExchange.Redis has no metrics of its own and its single profiler slot belongs to the OpenTelemetry tracing
/// instrumentation, so the multiplexer from DI is wrapped instead: every command called on an
/// <see cref="IDatabase"/>, <see cref="ISubscriber"/>, <see cref="IBatch"/> or <see cref="ITransaction"/> obtained
/// from it is counted once it completes (error = the call threw or its task faulted or was cancelled).
/// Coverage: everything the application calls through DI; not the library's own traffic (handshakes,
/// heartbeats, reconnects) nor code that builds its own multiplexer.
/// </summary>
public static class RedisOperationCounting
{
    /// <summary>Wraps the registered <see cref="IConnectionMultiplexer"/> so its commands are counted.</summary>
    public static IServiceCollection CountRedisOperations(this IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IConnectionMultiplexer) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(typeof(IConnectionMultiplexer), provider =>
            {
                var inner = descriptor.ImplementationInstance as IConnectionMultiplexer
                    ?? (descriptor.ImplementationFactory is { } factory
                        ? (IConnectionMultiplexer)factory(provider)
                        : (IConnectionMultiplexer)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
                return CountingProxy<IConnectionMultiplexer>.Wrap(inner, provider.GetRequiredService<InfrastructureMetrics>(), countCalls: false);
            }, descriptor.Lifetime);
        }

        return services;
    }

    /// <summary>The <c>operation</c> label of a client method: <c>StringIncrementAsync</c> -> <c>string_increment</c>.</summary>
    public static string OperationName(string methodName) => OperationNames.GetOrAdd(methodName, static name =>
    {
        var span = name.EndsWith("Async", StringComparison.Ordinal) ? name.AsSpan(0, name.Length - 5) : name.AsSpan();
        var builder = new StringBuilder(span.Length + 4);
        for (var i = 0; i < span.Length; i++)
        {
            if (char.IsUpper(span[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(span[i]));
        }

        return builder.ToString();
    });

    private static readonly ConcurrentDictionary<string, string> OperationNames = new(StringComparer.Ordinal);

    // Members that issue no command of their own.
    private static readonly HashSet<string> NotCommands = new(StringComparer.Ordinal)
    {
        "CreateBatch", "CreateTransaction", "Execute", "ExecuteAsync", "Wait", "WaitAll", "WaitAny", "TryWait",
        "IsConnected", "IdentifyEndpoint", "IdentifyEndpointAsync", "SubscribedEndpoint", "AddCondition",
        "ToString", "GetHashCode", "Equals", "GetType",
    };

    /// <summary>A transparent proxy that counts the commands called through it and wraps the objects it hands out.</summary>
    public class CountingProxy<T> : DispatchProxy where T : class
    {
        private T _inner = null!;
        private InfrastructureMetrics _metrics = null!;
        private bool _countCalls;

        internal static T Wrap(T inner, InfrastructureMetrics metrics, bool countCalls)
        {
            var proxy = Create<T, CountingProxy<T>>();
            var state = (CountingProxy<T>)(object)proxy;
            state._inner = inner;
            state._metrics = metrics;
            state._countCalls = countCalls;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var counted = _countCalls && !targetMethod.IsSpecialName && !NotCommands.Contains(targetMethod.Name);
            object? result;
            try
            {
                result = targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                if (counted)
                {
                    _metrics.RecordRedisOperation(OperationName(targetMethod.Name), succeeded: false);
                }

                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }

            switch (result)
            {
                case ITransaction transaction:
                    return CountingProxy<ITransaction>.Wrap(transaction, _metrics, countCalls: true);
                case IBatch batch:
                    return CountingProxy<IBatch>.Wrap(batch, _metrics, countCalls: true);
                case IDatabase database:
                    return CountingProxy<IDatabase>.Wrap(database, _metrics, countCalls: true);
                case ISubscriber subscriber:
                    return CountingProxy<ISubscriber>.Wrap(subscriber, _metrics, countCalls: true);
            }

            if (counted)
            {
                var operation = OperationName(targetMethod.Name);
                if (result is Task task)
                {
                    var metrics = _metrics;
                    task.ContinueWith(t => metrics.RecordRedisOperation(operation, t.IsCompletedSuccessfully),
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                else
                {
                    _metrics.RecordRedisOperation(operation, succeeded: true);
                }
            }

            return result;
        }
    }
}
