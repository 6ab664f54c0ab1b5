using System.Security.Cryptography;
using System.Text;

namespace VirtFlow.Hosting.Http.Auth;

/// <summary>
/// Makes API keys and hashes them. A key is <c>vf_</c> and 32 random bytes (base64url): 256 bits of entropy. The store
/// keeps only its SHA-256. A slow password hash (PBKDF2, Argon2) protects guessable passwords; a 256-bit random key
/// cannot be guessed however fast the hash, and a plain SHA-256 lets every request find its key by an index lookup
/// with no per-request CPU cost (a slow hash would also make each request a denial-of-service lever).
/// </summary>
public static class ApiKeySecrets
{
    /// <summary>Every key starts with this (a JWT never does: it has no underscore before its first dot).</summary>
    public const string Prefix = "vf_";

    /// <summary>A new key.</summary>
    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new key id (not secret).</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>SHA-256 of the key's UTF-8 bytes, lower-case hex.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
