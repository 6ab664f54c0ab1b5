using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace VirtFlow.Engine.Storage.Paging;

/// <summary>
/// A position in the newest-first order (created time, then id): the last item of a page. To a client it is an opaque
/// string (<see cref="Encode"/>, base64url).
/// </summary>
public sealed record InstanceCursor(DateTimeOffset CreatedAt, string Id)
{
    /// <summary>The opaque text a client passes back.</summary>
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{StoreTime.ToUnixMs(CreatedAt).ToString(CultureInfo.InvariantCulture)}:{Id}"));

    /// <summary>Reads <see cref="Encode"/>'s text; false for anything else.</summary>
    public static bool TryDecode(string? text, out InstanceCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 1024) return false;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        string plain;
        try
        {
            plain = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = plain.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == plain.Length - 1) return false;
        if (!long.TryParse(plain.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return false;
        if (ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) return false;
        cursor = new InstanceCursor(StoreTime.FromUnixMs(ms), plain[(colon + 1)..]);
        return true;
    }
}
