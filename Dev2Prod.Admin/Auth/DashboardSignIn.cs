using System.Security.Claims;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Admin.Auth;

public enum SignInOutcome
{
    Success,
    InvalidCredentials,
    LockedOut,
    Disabled,
}

public sealed record SignInResult(SignInOutcome Outcome, ClaimsPrincipal? Principal = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Checks a user name and password against the dashboard users, with lockout after repeated failures.
/// Unknown users and wrong passwords get the same answer so user names cannot be probed.
/// </summary>
public sealed class DashboardSignIn(
    BotDbContext db,
    IPasswordHasher<DashboardUser> hasher,
    IOptions<AdminOptions> options,
    TimeProvider time,
    ILogger<DashboardSignIn> logger)
{
    public const string UserIdClaim = DashboardCookie.UserIdClaim;
    public const string SecurityStampClaim = DashboardCookie.SecurityStampClaim;

    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var normalized = userName.Trim();
        var user = await db.DashboardUsers.SingleOrDefaultAsync(u => u.UserName == normalized, cancellationToken);
        if (user is null)
        {
            // Spend the same work as a real check, so response time does not reveal whether the user exists.
            hasher.VerifyHashedPassword(new DashboardUser(), DummyHash.Value, password);
            await AuditAsync("anonymous", "login.failed", null, now, cancellationToken);
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        if (user.LockoutEndsAt is { } lockedUntil && lockedUntil > now)
        {
            await AuditAsync(user.UserName, "login.locked-out", user.UserName, now, cancellationToken);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: lockedUntil);
        }

        var verification = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            user.FailedLoginCount++;
            if (user.FailedLoginCount >= options.Value.MaxFailedSignIns)
            {
                user.LockoutEndsAt = now + options.Value.LockoutDuration;
                user.FailedLoginCount = 0;
                logger.LogWarning("Dashboard user {UserId} locked out after repeated failed sign-ins", user.Id);
            }

            await AuditAsync(user.UserName, "login.failed", user.UserName, now, cancellationToken);
            return user.LockoutEndsAt > now
                ? new SignInResult(SignInOutcome.LockedOut, LockedUntil: user.LockoutEndsAt)
                : new SignInResult(SignInOutcome.InvalidCredentials);
        }

        if (user.IsDisabled)
        {
            await AuditAsync(user.UserName, "login.disabled", user.UserName, now, cancellationToken);
            return new SignInResult(SignInOutcome.Disabled);
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        user.FailedLoginCount = 0;
        user.LockoutEndsAt = null;
        user.LastLoginAt = now;
        await AuditAsync(user.UserName, "login", user.UserName, now, cancellationToken);
        return new SignInResult(SignInOutcome.Success, CreatePrincipal(user));
    }

    public static ClaimsPrincipal CreatePrincipal(DashboardUser user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.UserName),
            new Claim(UserIdClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(Policies.RoleClaim, user.Role.ToString()),
            new Claim(SecurityStampClaim, user.SecurityStamp),
        ],
        authenticationType: "Cookies", nameType: ClaimTypes.Name, roleType: Policies.RoleClaim));

    private async Task AuditAsync(string actor, string action, string? target, DateTimeOffset at, CancellationToken cancellationToken)
    {
        db.AuditLog.Add(new AuditLogEntry { Actor = actor, Action = action, Target = target, At = at });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static class DummyHash
    {
        public static readonly string Value = new PasswordHasher<DashboardUser>().HashPassword(new DashboardUser(), "not-a-real-password");
    }
}
