using Dev2Prod.Core.Data;
using Dev2Prod.Core.Features.Handoff;
using Dev2Prod.Core.Observability;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using Dev2Prod.Worker.Features.Llm;

// A web host rather than a bare generic host, so the worker serves /health, /alive and /metrics too.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDev2ProdData();
builder.AddTelegram();
builder.AddOutboxSender();
builder.AddOperationalGauges();
builder.AddLlmAnswers();
builder.AddHandoffClaimReminders();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.MigrateDatabaseAsync();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
