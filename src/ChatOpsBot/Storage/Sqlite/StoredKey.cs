using System.Security.Cryptography;
using System.Text;

namespace ChatOpsBot.Storage.Sqlite;

/// <summary>
/// Maps an untrusted identifier (inbound delivery id, cache key) to what is stored: the identifier itself when it is
/// short, else a SHA-256 digest. Identifiers that already look like a digest are hashed too, so no two different
/// inputs can map to the same stored key.
/// </summary>
internal static class StoredKey
{
    private const string DigestPrefix = "sha256:";

    public static string For(string key)
    {
        if (key.Length <= StorageLimits.StoredKeyMaxLength && !key.StartsWith(DigestPrefix, StringComparison.Ordinal))
        {
            return key;
        }

        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return DigestPrefix + Convert.ToHexStringLower(digest);
    }
}
