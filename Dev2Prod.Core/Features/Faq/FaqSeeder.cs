using Dev2Prod.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dev2Prod.Core.Features.Faq;

/// <summary>Puts the shipped FAQ topics into <c>faq_entries</c>.</summary>
public static class FaqSeeder
{
    /// <summary>
    /// Inserts every seed topic whose id is absent and never touches an existing row, so answers edited in the
    /// dashboard survive restarts and new releases (a topic added to the seed later is inserted on the next start).
    /// Returns how many topics were inserted. Meant to run under the migration lock
    /// (<c>host.MigrateDatabaseAsync((db, ct) =&gt; FaqSeeder.SeedAsync(db, time, ct))</c>); a concurrent insert
    /// of the same ids by another process is tolerated anyway.
    /// </summary>
    public static async Task<int> SeedAsync(BotDbContext db, TimeProvider time, CancellationToken ct)
    {
        return await SeedAsync(db, FaqSeed.Load(), time, ct);
    }

    /// <summary>As <see cref="SeedAsync(BotDbContext, TimeProvider, CancellationToken)"/>, with a given seed.</summary>
    public static async Task<int> SeedAsync(BotDbContext db, FaqSeed seed, TimeProvider time, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = (await db.FaqEntries.AsNoTracking().Select(f => f.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var missing = seed.ToEntries(time.GetUtcNow()).Where(entry => !existing.Contains(entry.Id)).ToList();
            if (missing.Count == 0)
            {
                return 0;
            }

            db.FaqEntries.AddRange(missing);
            try
            {
                await db.SaveChangesAsync(ct);
                return missing.Count;
            }
            catch (DbUpdateException e) when (attempt == 1 && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another process inserted some of them between our read and our write: forget ours and look again.
                foreach (var entry in missing)
                {
                    db.Entry(entry).State = EntityState.Detached;
                }
            }
        }
    }
}
