using Microsoft.IdentityModel.Tokens;

namespace ChatOpsBot.BotFramework.Authentication;

/// <summary>
/// One published signing key. <see cref="Endorsements"/> is the JWKS key's <c>endorsements</c> member (the channel ids
/// the Bot Framework lets this key sign for); null when the key has none, as in Entra key sets.
/// </summary>
internal sealed record SigningKey(JsonWebKey Key, IReadOnlyList<string>? Endorsements);

/// <summary>A fetched key set, by <c>kid</c>.</summary>
internal sealed record SigningKeySet(IReadOnlyDictionary<string, SigningKey> Keys, DateTimeOffset FetchedAt);
