using System.Security.Cryptography;
using System.Text;

namespace VirtFlow.HostWorker;

/// <summary>A name fit for a file in the state folder.</summary>
internal static class SafeFileName
{
    /// <summary><paramref name="name"/> itself when it is a plain file name, else <c>{prefix}</c> and a hash of it.</summary>
    public static string Of(string name, string prefix)
    {
        var plain = name.Length is > 0 and <= 100 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        return plain ? name : prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];
    }
}
