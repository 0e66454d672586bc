using Dev2Prod.Core.Data;

namespace Dev2Prod.Admin.Data;

/// <summary>
/// A fresh DbContext per operation. A Blazor Server circuit lives for the whole visit and may run
/// operations concurrently, so components must not hold one scoped context (EF contexts are not thread-safe).
/// </summary>
public sealed class DbAccess(IServiceScopeFactory scopeFactory)
{
    public async Task<T> QueryAsync<T>(Func<BotDbContext, CancellationToken, Task<T>> query, CancellationToken cancellationToken = default)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BotDbContext>(), cancellationToken);
    }
}
