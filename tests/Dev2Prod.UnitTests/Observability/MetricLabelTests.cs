using Dev2Prod.Core.Observability;

namespace Dev2Prod.UnitTests.Observability;

/// <summary>The label values the database and Redis metrics derive from what the services run.</summary>
public sealed class MetricLabelTests
{
    [Theory]
    [InlineData("SELECT c.id FROM conversations AS c WHERE c.chat_id = @p0", "select")]
    [InlineData("  select 1", "select")]
    [InlineData("INSERT INTO messages (text) VALUES (@p0) RETURNING id;", "insert")]
    [InlineData("INSERT INTO a VALUES (1);\nINSERT INTO a VALUES (2);", "insert")]
    [InlineData("UPDATE outbound_messages AS o SET status = @p0 WHERE o.id = @p1", "update")]
    [InlineData("DELETE FROM inbound_updates WHERE received_at < @p0", "delete")]
    [InlineData("""
        WITH next AS (
            SELECT o.id FROM outbound_messages o
            WHERE o.status = 'Pending' AND NOT EXISTS (SELECT 1 FROM outbound_messages p WHERE p.id < o.id)
            ORDER BY o.id LIMIT 20 FOR UPDATE SKIP LOCKED)
        UPDATE outbound_messages m SET status = 'Sending' FROM next WHERE m.id = next.id RETURNING m.*
        """, "update")]
    [InlineData("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t", "select")]
    [InlineData("-- the claim\n/* note: UPDATE later */ DELETE FROM x", "delete")]
    [InlineData("SELECT pg_advisory_lock(42)", "select")]
    [InlineData("BEGIN", "other")]
    [InlineData("CREATE TABLE x (id int)", "other")]
    [InlineData("SET lock_timeout = '5s'; SELECT 1", "other")]
    [InlineData("", "other")]
    [InlineData(null, "other")]
    public void SqlIsLabelledByItsMainStatement(string? sql, string expected) => Assert.Equal(expected, SqlOperation.Classify(sql));

    [Theory]
    [InlineData("StringIncrementAsync", "string_increment")]
    [InlineData("StreamLengthAsync", "stream_length")]
    [InlineData("ScriptEvaluateAsync", "script_evaluate")]
    [InlineData("Publish", "publish")]
    [InlineData("KeyDelete", "key_delete")]
    public void RedisOperationsAreNamedAfterTheClientMethod(string method, string expected) =>
        Assert.Equal(expected, RedisOperationCounting.OperationName(method));
}
