using Dev2Prod.Admin;
using Dev2Prod.Admin.Auth;
using Dev2Prod.Admin.Features;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Telegram;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDev2ProdData();
builder.AddDashboardAuth();
builder.AddAdminUi();
builder.AddDashboardTools();
builder.AddTelegram();           // the outbox the agent desk writes replies to (the Worker sends them)
builder.AddHandoffEscalation();  // IAgentDesk: claim, reply, close, notes from the dashboard

var app = builder.Build();

app.UseAdminSecurityHeaders();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapAccountEndpoints();
app.MapAdminUi();

await app.MigrateDatabaseAsync(
    (db, ct) => app.Services.CreateScope().ServiceProvider.GetRequiredService<FirstAdminSeeder>().SeedAsync(db, ct));
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
