using ChatOpsBot.Health;
using ChatOpsBot.Slack;

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
app.MapSlackEndpoints();

await app.RunAsync().ConfigureAwait(false);
