using ChatOpsBot.Health;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddChatOpsServiceDefaults();
builder.AddChatOpsStorage();
builder.AddChatOpsIntegrations();
builder.AddChatOpsCommands();
builder.AddChatOpsAlerts();
builder.AddChatOpsTeams();
builder.AddChatOpsSlack();

WebApplication app = builder.Build();
app.MapHealthEndpoints();
app.MapChatOpsTeams();

await app.RunAsync().ConfigureAwait(false);
