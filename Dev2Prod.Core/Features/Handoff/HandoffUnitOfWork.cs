using Dev2Prod.Core.Data;
using Dev2Prod.Core.Telegram.Outbox;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// Runs a handoff action so its state change and its outbox rows commit together. Inside the Api's update
/// transaction (the turn's scoped DbContext) it joins that transaction and the pipeline commits; called from
/// the Worker or the dashboard (no transaction open) it opens, commits and wakes the outbox sender itself.
/// </summary>
internal static class HandoffUnitOfWork
{
    public static async Task<T> RunAsync<T>(BotDbContext db, OutboxSignal signal, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var joined = await work();
            await db.SaveChangesAsync(cancellationToken);
            return joined;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await signal.NotifyAsync();
        return result;
    }
}
