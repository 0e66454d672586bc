using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Api.Features.Files;
using Dev2Prod.Core.Features.Files;
using Dev2Prod.Core.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

// In the hosting namespace, as ServiceDefaults does, so Program.cs needs one line and no using for it.
namespace Microsoft.Extensions.Hosting;

public static class FilesFeatureExtensions
{
    /// <summary>
    /// File uploads: the attachment store (<c>Files:Root</c>, <c>Files:MaxSizeMb</c>), the media handlers that
    /// check and store users' documents and photos (Order 0) and acknowledge them (Order 900), and the dashboard
    /// cookie (shared with the admin dashboard) that authorises downloads.
    /// </summary>
    public static IHostApplicationBuilder AddFiles(this IHostApplicationBuilder builder)
    {
        builder.AddAttachmentStore();
        builder.Services.AddScoped<AttachmentReceiver>();
        builder.Services.AddMediaHandler<FileUploadHandler>();
        builder.Services.AddMediaHandler<FileReceivedAcknowledgement>();

        // The Api accepts the dashboard's cookie but never issues one: no sign-in page here, so an anonymous call
        // gets 401 and a signed-in user without the role gets 403 instead of a redirect.
        builder.Services.AddDashboardDataProtection();
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddAuthentication(DashboardCookie.Scheme)
            .AddCookie(DashboardCookie.Scheme, cookie =>
            {
                DashboardCookie.Configure(cookie, isDevelopment, TimeSpan.FromHours(8));
                cookie.SlidingExpiration = false; // renewing is the dashboard's job; a download must not rewrite the cookie
                cookie.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorizationBuilder().AddDev2ProdPolicies();
        return builder;
    }
}
