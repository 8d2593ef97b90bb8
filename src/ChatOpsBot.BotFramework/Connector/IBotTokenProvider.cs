namespace ChatOpsBot.BotFramework.Connector;

/// <summary>The bot's outbound access token for the Connector.</summary>
public interface IBotTokenProvider
{
    /// <summary>
    /// A bearer token for <c>Bot:OAuthScope</c>, cached until near expiry; null in anonymous mode (no app id), where
    /// requests go without an Authorization header.
    /// </summary>
    Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Anonymous local mode: no token.</summary>
public sealed class AnonymousBotTokenProvider : IBotTokenProvider
{
    public Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>The bot's token could not be obtained (bad secret, unknown app, unreachable login host).</summary>
public sealed class BotAuthenticationException : ConnectorException
{
    public BotAuthenticationException()
    {
    }

    public BotAuthenticationException(string message)
        : base(message)
    {
    }

    public BotAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
