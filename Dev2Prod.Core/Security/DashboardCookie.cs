using System.Security.Claims;
using Dev2Prod.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Dev2Prod.Core.Security;

/// <summary>
/// The dashboard sign-in cookie, defined once for every service that accepts it: the dashboard issues it, the Api
/// accepts it for file downloads. Both must agree on the cookie name, the data-protection application name and
/// key ring (in Redis, so cookies survive restarts and work across replicas) and the claims it carries.
/// </summary>
public static class DashboardCookie
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "dev2prod.admin";

    /// <summary>Data-protection application name: services with the same name and key ring read each other's cookies.</summary>
    public const string ApplicationName = "dev2prod-admin";

    public const string DataProtectionKeysRedisKey = "dev2prod:admin:data-protection-keys";

    public const string UserIdClaim = "dev2prod:user-id";
    public const string SecurityStampClaim = "dev2prod:stamp";
    public const string RoleClaim = Policies.RoleClaim;

    /// <summary>Shares the data-protection key ring through Redis under the dashboard's application name.</summary>
    public static IServiceCollection AddDashboardDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((keys, redis) =>
                keys.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKeysRedisKey));
        return services;
    }

    /// <summary>The cookie settings both sides share (name, flags, lifetime, validation against the database).</summary>
    public static void Configure(CookieAuthenticationOptions cookie, bool isDevelopment, TimeSpan lifetime)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        // Plain HTTP is allowed only in Development (no dev certificate on every machine).
        cookie.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        cookie.ExpireTimeSpan = lifetime;
        cookie.SlidingExpiration = true;
        cookie.Events.OnValidatePrincipal = ValidateAgainstDatabaseAsync;
    }

    /// <summary>
    /// A cookie stays valid only while its user exists, is enabled, and has the same security stamp (changed on
    /// role or password change), so disabling someone takes effect at their next request, not when the cookie ends.
    /// </summary>
    public static async Task ValidateAgainstDatabaseAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (!int.TryParse(principal?.FindFirstValue(UserIdClaim), out var userId))
        {
            context.RejectPrincipal();
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<BotDbContext>();
        var user = await db.DashboardUsers.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, context.HttpContext.RequestAborted);
        if (user is null || user.IsDisabled || user.SecurityStamp != principal!.FindFirstValue(SecurityStampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>The dashboard user id of a signed-in principal, or null.</summary>
    public static int? UserIdOf(ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(UserIdClaim), out var id) ? id : null;

    /// <summary>The role of a signed-in principal, or null.</summary>
    public static Role? RoleOf(ClaimsPrincipal principal) =>
        Enum.TryParse<Role>(principal.FindFirstValue(RoleClaim), out var role) ? role : null;
}
