using Dev2Prod.Core.Configuration;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Admin.Auth;

/// <summary>
/// Creates the first dashboard user, <c>admin</c> with role Admin, when the database has no Admin at all.
/// Runs under the migration lock, so two replicas starting together cannot both create it.
/// </summary>
public sealed class FirstAdminSeeder(IOptions<AdminOptions> options, IPasswordHasher<DashboardUser> hasher, TimeProvider time)
{
    public const string UserName = "admin";
    public const int MinimumPasswordLength = 8;

    public async Task SeedAsync(BotDbContext db, CancellationToken cancellationToken)
    {
        if (await db.DashboardUsers.AnyAsync(u => u.Role == Role.Admin, cancellationToken))
        {
            return;
        }

        var password = options.Value.InitialPassword;
        if (string.IsNullOrWhiteSpace(password))
        {
            throw new MissingSettingsException(["Admin:InitialPassword"]);
        }

        if (password.Length < MinimumPasswordLength)
        {
            throw new InvalidOperationException($"Admin:InitialPassword must be at least {MinimumPasswordLength} characters.");
        }

        var now = time.GetUtcNow();
        var user = new DashboardUser { UserName = UserName, Role = Role.Admin, CreatedAt = now };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.DashboardUsers.Add(user);
        db.AuditLog.Add(new AuditLogEntry { Actor = "system", Action = "user.created", Target = UserName, Details = "first Admin seeded", At = now });
        await db.SaveChangesAsync(cancellationToken);
    }
}
