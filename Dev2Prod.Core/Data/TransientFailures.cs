using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StackExchange.Redis;

namespace Dev2Prod.Core.Data;

/// <summary>Failures that mean "a dependency is unreachable right now", as opposed to a bug or bad data.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException => true, // includes PostgresException only for server errors; see below
        RedisConnectionException or RedisTimeoutException => true,
        TimeoutException or SocketException => true,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    } && exception is not PostgresException { IsTransient: false };
}
