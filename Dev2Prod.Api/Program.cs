using Dev2Prod.Core.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDev2ProdData();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.MigrateDatabaseAsync();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
