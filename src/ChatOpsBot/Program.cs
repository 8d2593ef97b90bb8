using ChatOpsBot.Health;
using ChatOpsBot.Intake;
using ChatOpsBot.Slack;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddChatOpsServiceDefaults();
builder.AddChatOpsStorage();
builder.AddChatOpsIntegrations();
builder.AddChatOpsCommands();
builder.AddChatOpsAlerts();
builder.AddChatOpsTeams();
builder.AddChatOpsSlack();
builder.AddChatOpsIntake();

WebApplication app = builder.Build();
app.MapHealthEndpoints();
app.MapChatOpsTeams();
app.MapSlackEndpoints();
app.MapChatOpsIntake();

await app.RunAsync().ConfigureAwait(false);
