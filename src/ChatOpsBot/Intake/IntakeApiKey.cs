using System.Security.Cryptography;
using System.Text;

namespace ChatOpsBot.Intake;

/// <summary>
/// The webhook's key check. Only the SHA-256 digest of the configured key is kept; a presented key is hashed and the
/// two 32-byte digests are compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the time
/// taken nor an early exit tells a caller how long the key is or how much of it they got right.
/// </summary>
public sealed class IntakeApiKey
{
    private readonly byte[] _digest;

    public IntakeApiKey(string configuredKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuredKey);
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(configuredKey));
    }

    public bool Matches(string? presented)
    {
        // A missing header is hashed like any other value: the work does not depend on what was sent.
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        return CryptographicOperations.FixedTimeEquals(digest, _digest) && presented is not null;
    }
}
