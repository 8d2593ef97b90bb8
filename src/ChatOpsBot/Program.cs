using ChatOpsBot.Health;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddChatOpsServiceDefaults();
builder.AddChatOpsStorage();
builder.AddChatOpsIntegrations();
builder.AddChatOpsCommands();
builder.AddChatOpsAlerts();
builder.AddChatOpsSlack();

WebApplication app = builder.Build();
app.MapHealthEndpoints();

await app.RunAsync().ConfigureAwait(false);
