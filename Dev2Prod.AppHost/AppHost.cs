using Dev2Prod;
using Dev2Prod.AppHost;
using Dev2Prod.AppHost.BackingServices;

var builder = DistributedApplication.CreateBuilder(args);

// --- Parameters. All optional: the stack starts with none set (Telegram and the LLM are then disabled).
// Set real values with user secrets or environment variables: Parameters__telegram-bot-token=...
var settings = new DevelopmentParameters(builder);
var telegramBotToken = settings.Optional("telegram-bot-token");
var telegramAgentGroupChatId = settings.Optional("telegram-agent-group-chat-id", secret: false);
var telegramWebhookUrl = settings.Optional("telegram-webhook-url", secret: false);
var telegramWebhookSecret = settings.Generated("telegram-webhook-secret");
var telegramApiBaseUrl = settings.Optional("telegram-api-base-url", secret: false);
var llmApiKey = settings.Optional("llm-api-key");
var adminApiKey = settings.Generated("admin-api-key");
var adminInitialPassword = settings.Generated("admin-initial-password");

// --- Infrastructure: containers or local executables (BackingServices:Mode).
var (db, redis) = builder.AddBackingServices();

// --- Services.
var api = builder.AddProject<Projects.Dev2Prod_Api>(ResourceNames.Api)
    .WithReference(db.Connection).WaitFor(db.Server)
    .WithReference(redis.Connection).WaitFor(redis.Server)
    .WithEnvironment("Telegram__BotToken", telegramBotToken)
    .WithEnvironment("Telegram__ApiBaseUrl", telegramApiBaseUrl)
    .WithEnvironment("Telegram__WebhookSecret", telegramWebhookSecret)
    .WithEnvironment("Telegram__WebhookUrl", telegramWebhookUrl)
    .WithEnvironment("Telegram__AgentGroupChatId", telegramAgentGroupChatId)
    .WithEnvironment("Api__AdminApiKey", adminApiKey)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Dev2Prod_Worker>(ResourceNames.Worker)
    .WithReference(db.Connection).WaitFor(db.Server)
    .WithReference(redis.Connection).WaitFor(redis.Server)
    .WithEnvironment("Telegram__BotToken", telegramBotToken)
    .WithEnvironment("Telegram__ApiBaseUrl", telegramApiBaseUrl)
    .WithEnvironment("Telegram__AgentGroupChatId", telegramAgentGroupChatId)
    .WithEnvironment("Llm__ApiKey", llmApiKey)
    .WithHttpHealthCheck("/health");

var admin = builder.AddProject<Projects.Dev2Prod_Admin>(ResourceNames.Admin)
    .WithReference(db.Connection).WaitFor(db.Server)
    .WithReference(redis.Connection).WaitFor(redis.Server)
    .WithReference(api).WaitFor(api) // the dashboard's "Try the bot" and downloads go through the Api
    .WithEnvironment("Admin__InitialPassword", adminInitialPassword)
    .WithEnvironment("Api__AdminApiKey", adminApiKey)
    .WithEnvironment("Telegram__BotToken", telegramBotToken)
    .WithEnvironment("Telegram__ApiBaseUrl", telegramApiBaseUrl)
    .WithEnvironment("Telegram__AgentGroupChatId", telegramAgentGroupChatId) // dashboard replies are mirrored into the group
    .WithEnvironment("Api__PublicUrl", api.GetEndpoint("http")) // attachment links: the browser downloads from the Api
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

settings.AnnounceOnStart(admin, adminInitialPassword);

builder.Build().Run();
