using Dev2Prod.Admin.Auth;
using Dev2Prod.Admin.Data;
using Dev2Prod.Admin.Features.Audit;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Admin.Features.Users;

public sealed record UserRow(
    int Id, string UserName, Role Role, bool IsDisabled, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt,
    int? AgentId, string? AgentName, long? TelegramUserId, bool AgentIsActive);

/// <summary>Outcome of a user-management action, with a message fit for a snackbar.</summary>
public sealed record UserAdminResult(bool Succeeded, string Message)
{
    public static UserAdminResult Done(string message) => new(true, message);

    public static UserAdminResult Refused(string message) => new(false, message);
}

/// <summary>
/// Dashboard users and the agents linked to them (Admin only). Every change is audited, changes that alter
/// what someone may do rotate their security stamp (their open sessions end at the next request), and the
/// last enabled Admin can be neither demoted nor disabled, so the dashboard can never lock everyone out.
/// </summary>
public sealed class DashboardUserAdmin(DbAccess dbAccess, IServiceScopeFactory scopes, TimeProvider time)
{
    public const int MinimumPasswordLength = FirstAdminSeeder.MinimumPasswordLength;

    public Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default) =>
        dbAccess.QueryAsync<IReadOnlyList<UserRow>>(async (db, ct) => await (
            from u in db.DashboardUsers.AsNoTracking()
            join a in db.Agents.AsNoTracking() on u.Id equals a.DashboardUserId into agents
            from a in agents.DefaultIfEmpty()
            orderby u.UserName
            select new UserRow(u.Id, u.UserName, u.Role, u.IsDisabled, u.CreatedAt, u.LastLoginAt,
                a == null ? null : a.Id, a == null ? null : a.DisplayName, a == null ? null : a.TelegramUserId, a != null && a.IsActive))
            .ToListAsync(ct), cancellationToken);

    public async Task<UserAdminResult> CreateAsync(CurrentUser actor, string userName, string password, Role role, CancellationToken cancellationToken = default)
    {
        if (!actor.Allows(Role.Admin))
        {
            return UserAdminResult.Refused("Only an Admin manages users.");
        }

        var name = userName.Trim();
        if (name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            return UserAdminResult.Refused("User names are 3-64 characters: letters, digits, . - _ @.");
        }

        if (password.Length < MinimumPasswordLength)
        {
            return UserAdminResult.Refused($"Passwords have at least {MinimumPasswordLength} characters.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<DashboardUser>>();
        return await dbAccess.QueryAsync(async (db, ct) =>
        {
            if (await db.DashboardUsers.AnyAsync(u => u.UserName == name, ct))
            {
                return UserAdminResult.Refused($"A user named {name} exists already.");
            }

            var user = new DashboardUser { UserName = name, Role = role, CreatedAt = time.GetUtcNow() };
            user.PasswordHash = hasher.HashPassword(user, password);
            db.DashboardUsers.Add(user);
            AuditTrail.Record(db, time, actor.UserName, "user.created", name, $"role={role}");
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Two admins creating the same name at once: the unique index decides.
                return UserAdminResult.Refused($"A user named {name} exists already.");
            }

            return UserAdminResult.Done($"Created {name} ({role}).");
        }, cancellationToken);
    }

    public Task<UserAdminResult> SetRoleAsync(CurrentUser actor, int userId, Role role, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "user.role", async (db, user, ct) =>
        {
            if (user.Role == role)
            {
                return UserAdminResult.Refused($"{user.UserName} is {role} already.");
            }

            if (user.Role == Role.Admin && role != Role.Admin && await IsLastAdminAsync(db, user, ct))
            {
                return UserAdminResult.Refused("This is the last Admin: make someone else Admin first.");
            }

            var before = user.Role;
            user.Role = role;
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            var agent = await db.Agents.SingleOrDefaultAsync(a => a.DashboardUserId == user.Id, ct);
            if (agent is not null)
            {
                // One person, one role: the Telegram side follows the dashboard.
                agent.Role = role;
            }

            return UserAdminResult.Done($"{user.UserName}: {before} -> {role}.");
        }, cancellationToken);

    public Task<UserAdminResult> SetDisabledAsync(CurrentUser actor, int userId, bool disabled, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, disabled ? "user.disabled" : "user.enabled", async (db, user, ct) =>
        {
            if (user.IsDisabled == disabled)
            {
                return UserAdminResult.Refused($"{user.UserName} is {(disabled ? "disabled" : "enabled")} already.");
            }

            if (disabled && user.Role == Role.Admin && await IsLastAdminAsync(db, user, ct))
            {
                return UserAdminResult.Refused("This is the last Admin: it cannot be disabled.");
            }

            user.IsDisabled = disabled;
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            var agent = await db.Agents.SingleOrDefaultAsync(a => a.DashboardUserId == user.Id, ct);
            if (agent is not null)
            {
                agent.IsActive = !disabled;
            }

            return UserAdminResult.Done($"{user.UserName} {(disabled ? "disabled" : "enabled")}.");
        }, cancellationToken);

    /// <summary>
    /// Makes the user an agent reachable from Telegram: links (or re-links) an agent record with this Telegram
    /// user id to the dashboard account. A Telegram id belongs to one agent only.
    /// </summary>
    public Task<UserAdminResult> LinkAgentAsync(CurrentUser actor, int userId, long telegramUserId, string displayName, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, userId, "agent.linked", async (db, user, ct) =>
        {
            if (telegramUserId <= 0)
            {
                return UserAdminResult.Refused("A Telegram user id is a positive number.");
            }

            var name = string.IsNullOrWhiteSpace(displayName) ? user.UserName : displayName.Trim();
            if (name.Length > 64)
            {
                return UserAdminResult.Refused("Display names have at most 64 characters.");
            }

            var byTelegram = await db.Agents.SingleOrDefaultAsync(a => a.TelegramUserId == telegramUserId, ct);
            var byUser = await db.Agents.SingleOrDefaultAsync(a => a.DashboardUserId == user.Id, ct);
            if (byTelegram is not null && byTelegram.DashboardUserId is { } other && other != user.Id)
            {
                return UserAdminResult.Refused("That Telegram user is linked to another dashboard user.");
            }

            var agent = byUser ?? byTelegram;
            if (byUser is not null && byTelegram is not null && byUser.Id != byTelegram.Id)
            {
                // The Telegram id already has an unlinked agent record (created from the group): keep that one.
                byUser.DashboardUserId = null;
                byUser.IsActive = false;
                agent = byTelegram;
            }

            if (agent is null)
            {
                agent = new Agent { CreatedAt = time.GetUtcNow() };
                db.Agents.Add(agent);
            }

            agent.TelegramUserId = telegramUserId;
            agent.DisplayName = name;
            agent.DashboardUserId = user.Id;
            agent.Role = user.Role;
            agent.IsActive = !user.IsDisabled;
            return UserAdminResult.Done($"{user.UserName} is agent {name} (Telegram {telegramUserId}).");
        }, cancellationToken, details: $"telegram={telegramUserId}");

    private Task<UserAdminResult> ChangeAsync(
        CurrentUser actor, int userId, string auditAction,
        Func<Core.Data.BotDbContext, DashboardUser, CancellationToken, Task<UserAdminResult>> change,
        CancellationToken cancellationToken, string? details = null)
    {
        if (!actor.Allows(Role.Admin))
        {
            return Task.FromResult(UserAdminResult.Refused("Only an Admin manages users."));
        }

        return dbAccess.QueryAsync(async (db, ct) =>
        {
            // Serialisable: two admins demoting each other at once must not leave zero Admins.
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
            var user = await db.DashboardUsers.SingleOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
            {
                return UserAdminResult.Refused("No such user.");
            }

            var result = await change(db, user, ct);
            if (!result.Succeeded)
            {
                return result;
            }

            AuditTrail.Record(db, time, actor.UserName, auditAction, user.UserName, details ?? result.Message);
            try
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                return UserAdminResult.Refused("Someone changed this user at the same time; reload and try again.");
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.SerializationFailure)
            {
                return UserAdminResult.Refused("Someone changed this user at the same time; reload and try again.");
            }

            return result;
        }, cancellationToken);
    }

    private static async Task<bool> IsLastAdminAsync(Core.Data.BotDbContext db, DashboardUser user, CancellationToken ct) =>
        !await db.DashboardUsers.AnyAsync(u => u.Id != user.Id && u.Role == Role.Admin && !u.IsDisabled, ct);
}
