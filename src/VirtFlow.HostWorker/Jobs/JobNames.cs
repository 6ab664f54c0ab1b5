using System.Security.Cryptography;
using System.Text;

namespace VirtFlow.HostWorker;

/// <summary>Names the worker derives from job ids, so a restarted worker finds what an earlier one created.</summary>
internal static class JobNames
{
    /// <summary>QEMU keeps node names in 32 bytes with the terminator.</summary>
    private const int MaxNodeName = 31;
    private const string TargetPrefix = "vft-";

    /// <summary>
    /// The target node of job <paramref name="jobId"/>: <c>vft-{jobId}</c> when that fits QEMU's 31 characters,
    /// else <c>vft-</c> and 27 hex digits of the id's SHA-256.
    /// </summary>
    public static string TargetNode(string jobId)
    {
        var plain = TargetPrefix + jobId;
        if (plain.Length <= MaxNodeName && IsWellFormed(jobId)) return plain;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jobId)));
        return TargetPrefix + hash[..(MaxNodeName - TargetPrefix.Length)];
    }

    /// <summary>QEMU's <c>id_wellformed</c>: a letter, then letters, digits, '-', '.', '_'.</summary>
    public static bool IsWellFormed(string? id)
    {
        if (string.IsNullOrEmpty(id) || !char.IsAsciiLetter(id[0])) return false;
        foreach (var c in id)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_')) return false;
        return true;
    }
}
