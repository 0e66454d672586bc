using Dev2Prod.Admin.Components;
using Dev2Prod.Admin.Data;
using Dev2Prod.Admin.Features.Leads;
using MudBlazor.Services;

namespace Dev2Prod.Admin;

public static class AdminUiExtensions
{
    /// <summary>Blazor Server with MudBlazor, and the data helpers the pages use.</summary>
    public static IHostApplicationBuilder AddAdminUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<DbAccess>();
        builder.Services.AddSingleton<Features.Overview.OverviewKpis>();
        builder.Services.AddSingleton<Features.Conversations.ConversationActions>();
        builder.Services.AddSingleton<Features.Leads.LeadActions>();
        builder.Services.AddSingleton<Features.Users.DashboardUserAdmin>();
        return builder;
    }

    public static WebApplication MapAdminUi(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapLeadExport();
        return app;
    }

    /// <summary>
    /// Defence in depth for a tool that shows customer-supplied text: a Content-Security-Policy that allows only
    /// our own scripts, no framing, no MIME sniffing. MudBlazor sets inline styles, hence 'unsafe-inline' for styles only.
    /// </summary>
    public static WebApplication UseAdminSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next();
        });
        return app;
    }
}
