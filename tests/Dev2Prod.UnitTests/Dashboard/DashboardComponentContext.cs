using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Dev2Prod.UnitTests.Dashboard;

/// <summary>A bUnit context with MudBlazor's services and providers, as the dashboard's layout sets them up.</summary>
public abstract class DashboardComponentContext : BunitContext
{
    protected DashboardComponentContext()
    {
        // Services first, then the renderer info (bUnit 2 locks the container on first render).
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();
    }
}
