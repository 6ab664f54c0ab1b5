using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtFlow.Hosting.Schedules;

/// <summary>
/// The instance id of a firing: 32 hex characters of SHA-256 over (schedule id, scheduled time in Unix ms). Every node,
/// every retry and every catch-up of the same scheduled time computes the same id, and the store's primary key on
/// instance ids lets only one instance exist.
/// </summary>
public static class ScheduleInstanceIds
{
    /// <summary>The id of the instance that <paramref name="scheduleId"/>'s firing at <paramref name="scheduledTime"/> starts.</summary>
    public static string For(string scheduleId, DateTimeOffset scheduledTime)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        var key = $"{scheduleId}\n{scheduledTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }
}
