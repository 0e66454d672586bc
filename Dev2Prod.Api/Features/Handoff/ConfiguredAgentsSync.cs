using Dev2Prod.Core.Data;
using Dev2Prod.Core.Features.Handoff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Api.Features.Handoff;

/// <summary>
/// Registers the agents of <c>Handoff:Agents</c> at start-up: an upsert by Telegram user id (safe when several
/// replicas start at once). The configuration is authoritative for the agents it lists (name, username, role,
/// active); agents added otherwise are left alone.
/// </summary>
public sealed partial class ConfiguredAgentsSync(
    IServiceScopeFactory scopeFactory,
    IOptions<HandoffOptions> options,
    TimeProvider time,
    ILogger<ConfiguredAgentsSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var agents = options.Value.Agents;
        if (agents.Count == 0)
        {
            return;
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
                foreach (var agent in agents)
                {
                    await UpsertAsync(db, agent, time.GetUtcNow(), stoppingToken);
                }

                LogSynced(logger, agents.Count);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 10)
            {
                LogRetry(logger, e.GetType().Name, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    internal static Task UpsertAsync(BotDbContext db, ConfiguredAgent agent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var role = agent.Role.ToString();
        var username = agent.TelegramUsername?.TrimStart('@');
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO agents (telegram_user_id, telegram_username, display_name, role, is_active, created_at)
            VALUES ({agent.TelegramUserId}, {username}, {agent.DisplayName}, {role}, true, {now})
            ON CONFLICT (telegram_user_id) WHERE telegram_user_id IS NOT NULL
            DO UPDATE SET telegram_username = excluded.telegram_username, display_name = excluded.display_name,
                role = excluded.role, is_active = true
            """, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} agents from Handoff:Agents registered")]
    private static partial void LogSynced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the configured agents failed ({ErrorType}), attempt {Attempt}; retrying")]
    private static partial void LogRetry(ILogger logger, string errorType, int attempt);
}
