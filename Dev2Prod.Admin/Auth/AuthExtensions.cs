using System.Security.Claims;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dev2Prod.Admin.Auth;

public static class AuthExtensions
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    /// <summary>
    /// Cookie sign-in for dashboard users, the four role policies, and data-protection keys shared through
    /// Redis so cookies survive restarts and work across replicas. Everything requires a signed-in user unless
    /// it opts out (login page, static assets, health, metrics).
    /// </summary>
    public static IHostApplicationBuilder AddDashboardAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddScoped<IPasswordHasher<DashboardUser>, PasswordHasher<DashboardUser>>();
        builder.Services.AddScoped<DashboardSignIn>();
        builder.Services.AddScoped<FirstAdminSeeder>();

        builder.Services.AddDataProtection().SetApplicationName("dev2prod-admin");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((keys, redis) =>
                keys.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), "dev2prod:admin:data-protection-keys"));

        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, _ => { });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AdminOptions>>((cookie, admin) =>
            {
                cookie.LoginPath = LoginPath;
                cookie.LogoutPath = LogoutPath;
                cookie.AccessDeniedPath = "/access-denied";
                cookie.Cookie.Name = "dev2prod.admin";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Plain HTTP is allowed only in Development (no dev certificate on every machine).
                cookie.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.ExpireTimeSpan = admin.Value.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = ValidateAgainstDatabaseAsync;
            });

        builder.Services.AddAuthorizationBuilder()
            .AddDev2ProdPolicies()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>Maps POST /account/logout (antiforgery-checked, like every form post).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LogoutPath, async (HttpContext context, BotDbContext db, TimeProvider time) =>
        {
            var userName = context.User.Identity?.Name;
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (userName is not null)
            {
                db.AuditLog.Add(new AuditLogEntry { Actor = userName, Action = "logout", Target = userName, At = time.GetUtcNow() });
                await db.SaveChangesAsync(context.RequestAborted);
            }

            return TypedResults.LocalRedirect(LoginPath);
        }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// A cookie stays valid only while its user exists, is enabled, and has the same security stamp (changed on
    /// role or password change), so disabling someone takes effect at their next request, not when the cookie ends.
    /// </summary>
    private static async Task ValidateAgainstDatabaseAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (!int.TryParse(principal?.FindFirstValue(DashboardSignIn.UserIdClaim), out var userId))
        {
            context.RejectPrincipal();
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<BotDbContext>();
        var user = await db.DashboardUsers.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, context.HttpContext.RequestAborted);
        if (user is null || user.IsDisabled || user.SecurityStamp != principal!.FindFirstValue(DashboardSignIn.SecurityStampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
