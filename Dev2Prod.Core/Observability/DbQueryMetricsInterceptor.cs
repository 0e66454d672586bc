using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// Times every command EF Core runs (queries, <c>ExecuteUpdate</c>, raw SQL, migrations) into
/// <c>db_query_duration_seconds{operation}</c>. EF Core reports the duration it measured itself, so this adds no
/// timing of its own.
/// </summary>
public sealed class DbQueryMetricsInterceptor(InfrastructureMetrics metrics) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record(command, eventData.Duration);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Record(command, eventData.Duration);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Record(command, eventData.Duration);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    // Failed commands count too: a slow query that times out is exactly what the histogram must show.
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Record(command, eventData.Duration);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(command, eventData.Duration);
        return Task.CompletedTask;
    }

    private void Record(DbCommand command, TimeSpan duration) => metrics.RecordQuery(SqlOperation.Classify(command.CommandText), duration);
}

/// <summary>The <c>operation</c> label of a SQL command: select, insert, update, delete or other.</summary>
public static class SqlOperation
{
    public const string Select = "select";
    public const string Insert = "insert";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Other = "other";

    /// <summary>
    /// Classifies by the statement's main verb. A <c>WITH</c> query is classified by the statement after its
    /// common table expressions (<c>WITH next AS (SELECT ...) UPDATE ...</c> is an update); comments and
    /// parenthesised sub-queries are skipped. Only the first statement of a batch counts.
    /// </summary>
    public static string Classify(string? sql)
    {
        if (string.IsNullOrEmpty(sql))
        {
            return Other;
        }

        var depth = 0;
        var sawWith = false;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
                continue;
            }

            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                continue;
            }

            if (c is '\'' or '"')
            {
                var end = sql.IndexOf(c, i + 1);
                i = end < 0 ? sql.Length : end + 1;
                continue;
            }

            if (c == '(')
            {
                depth++;
                i++;
                continue;
            }

            if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
                i++;
                continue;
            }

            if (c == ';' && depth == 0)
            {
                return Other;
            }

            if (char.IsLetter(c))
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }

                if (depth > 0)
                {
                    continue;
                }

                var word = sql.AsSpan(start, i - start);
                if (word.Equals("with", StringComparison.OrdinalIgnoreCase) && !sawWith)
                {
                    sawWith = true;
                    continue;
                }

                var verb = VerbOf(word);
                if (verb is not null)
                {
                    return verb;
                }

                if (!sawWith)
                {
                    // The first word is not a verb we label (BEGIN, SET, CREATE, pg_advisory_lock calls, ...).
                    return Other;
                }

                continue;
            }

            i++;
        }

        return Other;
    }

    private static string? VerbOf(ReadOnlySpan<char> word) =>
        word.Equals("select", StringComparison.OrdinalIgnoreCase) ? Select
        : word.Equals("insert", StringComparison.OrdinalIgnoreCase) ? Insert
        : word.Equals("update", StringComparison.OrdinalIgnoreCase) ? Update
        : word.Equals("delete", StringComparison.OrdinalIgnoreCase) ? Delete
        : null;
}
