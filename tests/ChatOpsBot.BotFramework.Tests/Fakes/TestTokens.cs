using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsBot.BotFramework.Tests.Fakes;

/// <summary>Mints JWTs byte by byte, so tests can also make the malformed and hostile ones a library would refuse to.</summary>
public static class TestTokens
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The claims of a Bot Framework channel token, valid from 1 minute before <paramref name="now"/> for an hour.</summary>
    public static Dictionary<string, object> ChannelClaims(string appId, string serviceUrl, DateTimeOffset now) => new()
    {
        ["iss"] = BotFrameworkIssuer,
        ["aud"] = appId,
        ["serviceurl"] = serviceUrl,
        ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = now.AddMinutes(59).ToUnixTimeSeconds(),
    };

    public static string Sign(TestSigningKey key, IDictionary<string, object> claims, string algorithm = "RS256", string? keyId = null)
    {
        string signingInput = SigningInput(new Dictionary<string, object>
        {
            ["alg"] = algorithm,
            ["typ"] = "JWT",
            ["kid"] = keyId ?? key.KeyId,
        }, claims);
        HashAlgorithmName hash = algorithm switch
        {
            "RS256" => HashAlgorithmName.SHA256,
            "RS384" => HashAlgorithmName.SHA384,
            "RS512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException($"not an RSA algorithm: {algorithm}", nameof(algorithm)),
        };
        byte[] signature = key.Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), hash, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>An <c>alg: none</c> token: header and payload, empty signature.</summary>
    public static string WithoutSignature(IDictionary<string, object> claims, string keyId) =>
        SigningInput(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = keyId }, claims) + ".";

    /// <summary>The classic key-confusion forgery: HS256 with the RSA public key's bytes as the HMAC secret.</summary>
    public static string HmacWithPublicKey(TestSigningKey key, IDictionary<string, object> claims)
    {
        string signingInput = SigningInput(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = key.KeyId }, claims);
        byte[] secret = key.Rsa.ExportSubjectPublicKeyInfo();
        byte[] signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    private static string SigningInput(IDictionary<string, object> header, IDictionary<string, object> claims) =>
        Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(header))
        + "."
        + Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
}
