using Dev2Prod.Api.Features.Faq;
using Dev2Prod.Api.Features.Files;
using Dev2Prod.Api.Features.Llm;
using Dev2Prod.Api.Features.Simulator;
using Dev2Prod.Api.Features.Telegram;
using Dev2Prod.Core.Data;

if (args is [SetWebhookCommand.Name, ..])
{
    return await SetWebhookCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDev2ProdData();
builder.AddTelegramGateway();
builder.AddIntake();
builder.AddFaq();
// The HTTP API's description (docs/API.md): served anonymously, it lists routes and shapes, never data.
builder.Services.AddOpenApi();
builder.AddFiles();
builder.AddLlmQuestions();
builder.AddHandoff();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTelegramWebhook();
app.MapNluApi();
app.MapSimulatorApi();
app.MapOpenApi();
app.MapFileDownloads();

await app.MigrateDatabaseAsync((db, ct) => FaqFeatureExtensions.SeedFaqAsync(db, app.Services, ct));
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
