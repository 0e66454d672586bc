using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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

        // The cookie's name, key ring and checks are shared with the Api (file downloads): one definition in Core.
        builder.Services.AddDashboardDataProtection();

        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, _ => { });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AdminOptions>>((cookie, admin) =>
            {
                DashboardCookie.Configure(cookie, isDevelopment, admin.Value.SessionLifetime);
                cookie.LoginPath = LoginPath;
                cookie.LogoutPath = LogoutPath;
                cookie.AccessDeniedPath = "/access-denied";
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
}
