using System.Security.Cryptography;
using System.Text;

namespace VirtFlow.Hosting.Messaging;

/// <summary>Transport message ids derived from outbox ids, so a message sent again carries the same id on the broker too.</summary>
internal static class MessageIds
{
    /// <summary>A GUID made from the SHA-256 of <paramref name="outboxId"/> (version 8, RFC 9562 variant).</summary>
    public static Guid From(string outboxId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(outboxId), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
