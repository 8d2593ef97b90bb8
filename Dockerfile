# syntax=docker/dockerfile:1
# Multi-stage: build and test with the SDK, run on the ASP.NET runtime as a non-root user.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the build files only, so the package layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ChatOpsBot.sln ./
COPY src/ChatOpsBot/ChatOpsBot.csproj src/ChatOpsBot/
COPY src/ChatOpsBot.Analysis/ChatOpsBot.Analysis.csproj src/ChatOpsBot.Analysis/
COPY src/ChatOpsBot.Cli/ChatOpsBot.Cli.csproj src/ChatOpsBot.Cli/
COPY src/ChatOpsBot.Mail/ChatOpsBot.Mail.csproj src/ChatOpsBot.Mail/
COPY src/ChatOpsBot.BotFramework/ChatOpsBot.BotFramework.csproj src/ChatOpsBot.BotFramework/
COPY src/ChatOpsBot.Cards/ChatOpsBot.Cards.csproj src/ChatOpsBot.Cards/
COPY src/ChatOpsBot.Integrations/ChatOpsBot.Integrations.csproj src/ChatOpsBot.Integrations/
COPY src/ChatOpsBot.Slack/ChatOpsBot.Slack.csproj src/ChatOpsBot.Slack/
COPY tests/ChatOpsBot.Tests/ChatOpsBot.Tests.csproj tests/ChatOpsBot.Tests/
COPY tests/ChatOpsBot.Analysis.Tests/ChatOpsBot.Analysis.Tests.csproj tests/ChatOpsBot.Analysis.Tests/
COPY tests/ChatOpsBot.Cli.Tests/ChatOpsBot.Cli.Tests.csproj tests/ChatOpsBot.Cli.Tests/
COPY tests/ChatOpsBot.Mail.Tests/ChatOpsBot.Mail.Tests.csproj tests/ChatOpsBot.Mail.Tests/
COPY tests/ChatOpsBot.BotFramework.Tests/ChatOpsBot.BotFramework.Tests.csproj tests/ChatOpsBot.BotFramework.Tests/
COPY tests/ChatOpsBot.Cards.Tests/ChatOpsBot.Cards.Tests.csproj tests/ChatOpsBot.Cards.Tests/
COPY tests/ChatOpsBot.Integrations.Tests/ChatOpsBot.Integrations.Tests.csproj tests/ChatOpsBot.Integrations.Tests/
COPY tests/ChatOpsBot.Slack.Tests/ChatOpsBot.Slack.Tests.csproj tests/ChatOpsBot.Slack.Tests/
COPY tests/ChatOpsBot.Benchmarks/ChatOpsBot.Benchmarks.csproj tests/ChatOpsBot.Benchmarks/
RUN dotnet restore ChatOpsBot.sln

COPY . .
RUN dotnet build ChatOpsBot.sln --no-restore -c Release

FROM build AS test
RUN dotnet test ChatOpsBot.sln --no-build -c Release

FROM build AS publish
# Depending on the test stage makes a red suite fail the image build.
COPY --from=test /src/global.json /tmp/tests-passed
# The CLI is a short-lived process: ReadyToRun code saves most of its JIT time at start-up.
RUN dotnet publish src/ChatOpsBot/ChatOpsBot.csproj --no-restore -c Release -o /app/bot \
 && dotnet publish src/ChatOpsBot.Cli/ChatOpsBot.Cli.csproj -c Release --use-current-runtime --self-contained false \
      -p:PublishReadyToRun=true -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=publish /app/bot ./
COPY --from=publish /app/cli ./cli/
RUN mkdir -p /app/data && chown -R app:app /app/data \
 && ln -s /app/cli/chatops /usr/local/bin/chatops
# The aspnet image ships an unprivileged 'app' user (UID 1654).
USER app
ENV ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_NOLOGO=1 \
    Urls=http://+:3978
EXPOSE 3978
VOLUME ["/app/data"]
# curl/wget are not in the aspnet image; bash's /dev/tcp keeps the image free of extra tools.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/3978 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "ChatOpsBot.dll"]
