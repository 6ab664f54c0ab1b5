using System.Security.Cryptography;
using System.Text;

namespace VirtFlow.Activities.Vm.Support;

/// <summary>
/// Deterministic QEMU job ids (docs/rules.md#r2-command-ids): <c>vf-{I}-{S}-{device}</c>, where <c>I</c> is 8 hex digits
/// of the instance id's SHA-256 and <c>S</c> 4 hex digits of the step path's and attempt's. The same instance,
/// step execution and attempt (a re-run after a crash) give the same ids; another step, loop iteration or
/// retry gives new ones (a retry never adopts the concluded job of a failed attempt). All jobs of one
/// instance share the prefix <c>vf-{I}-</c> (<see cref="InstancePrefix"/>), so a rollback can find them on
/// the host. A stalled mirror restarted in write-blocking mode becomes <c>{jobId}-wb</c>.
/// </summary>
public static class JobIds
{
    /// <summary>The suffix of the write-blocking replacement of a mirror that did not converge.</summary>
    public const string WriteBlockingSuffix = "-wb";

    public static string For(string instanceId, string stepPath, int attempt, string device) =>
        $"{InstancePrefix(instanceId)}{Hex(stepPath + "#" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), 4)}-{Sanitize(device)}";

    /// <summary>The prefix every job id of the instance starts with.</summary>
    public static string InstancePrefix(string instanceId) => $"vf-{Hex(instanceId, 8)}-";

    /// <summary>The id of the write-blocking replacement of <paramref name="jobId"/>.</summary>
    public static string WriteBlocking(string jobId) =>
        jobId.EndsWith(WriteBlockingSuffix, StringComparison.Ordinal) ? jobId : jobId + WriteBlockingSuffix;

    /// <summary>A device name as QEMU accepts it in an id: letters, digits, <c>-</c>, <c>.</c>, <c>_</c>.</summary>
    public static string Sanitize(string device)
    {
        var sb = new StringBuilder(device.Length);
        foreach (var c in device.Trim('/')) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_');
        return sb.Length == 0 ? "disk" : sb.ToString();
    }

    private static string Hex(string text, int digits) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..digits];
}
