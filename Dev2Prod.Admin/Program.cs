using Dev2Prod.Admin;
using Dev2Prod.Admin.Auth;
using Dev2Prod.Admin.Features;
using Dev2Prod.Core.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDev2ProdData();
builder.AddDashboardAuth();
builder.AddAdminUi();
builder.AddDashboardTools();

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
