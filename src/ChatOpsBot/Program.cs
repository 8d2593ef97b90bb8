using ChatOpsBot.Health;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddChatOpsServiceDefaults();
builder.AddChatOpsStorage();
builder.AddChatOpsCommands();
builder.AddChatOpsAlerts();

WebApplication app = builder.Build();
app.MapHealthEndpoints();

await app.RunAsync().ConfigureAwait(false);
