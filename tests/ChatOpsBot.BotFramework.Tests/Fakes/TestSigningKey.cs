using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsBot.BotFramework.Tests.Fakes;

/// <summary>An RSA key published by the fake OpenID server, as the Bot Framework publishes its keys (with endorsements).</summary>
public sealed class TestSigningKey : IDisposable
{
    public TestSigningKey(string keyId, params string[]? endorsements)
    {
        KeyId = keyId;
        Endorsements = endorsements;
        Rsa = RSA.Create(2048);
    }

    public string KeyId { get; }

    /// <summary>The channel ids this key is endorsed for; null publishes the key without an <c>endorsements</c> member.</summary>
    public string[]? Endorsements { get; }

    public RSA Rsa { get; }

    public JsonObject ToJwk()
    {
        RSAParameters parameters = Rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (Endorsements is not null)
        {
            jwk["endorsements"] = new JsonArray(Endorsements.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
        }

        return jwk;
    }

    public void Dispose() => Rsa.Dispose();
}
