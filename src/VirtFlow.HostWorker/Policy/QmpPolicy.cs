using System.Text.Json.Nodes;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker.Policy;

/// <summary>
/// Which QMP commands <see cref="RawQmp"/> (the <c>vm.qmp</c> activity) may run: deny by default. Read-only
/// <c>query-*</c> commands always; others only when <see cref="HostWorkerOptions.AllowQmp"/> names them (or holds
/// <c>*</c>); a <see cref="DangerousQmp"/> command only when named exactly. The arguments of an allowed command may name
/// host paths only under the storage roots, and never a program to run (<c>exec:</c>).
/// </summary>
internal sealed class QmpPolicy
{
    /// <summary>Allows every command that is not dangerous.</summary>
    public const string Wildcard = "*";

    private readonly HashSet<string> _allowed;
    private readonly bool _wildcard;
    private readonly string _hostId;
    private readonly StorageRoots _roots;

    public QmpPolicy(string hostId, IEnumerable<string> allowed, StorageRoots roots)
    {
        _hostId = hostId;
        _roots = roots;
        _allowed = new HashSet<string>(allowed.Select(a => a.Trim()).Where(a => a.Length > 0), StringComparer.Ordinal);
        _wildcard = _allowed.Remove(Wildcard);
    }

    /// <summary>One warning per dangerous command allowed (and for <c>*</c>): what it lets a sender do.</summary>
    public IEnumerable<string> Warnings()
    {
        if (_wildcard)
            yield return $"QMP commands '*' are allowed on host {_hostId}: any sender on the broker may change the VMs' state (commands that reach the host still need their own name)";
        foreach (var command in _allowed.Order(StringComparer.Ordinal))
            if (DangerousQmp.Why(command) is { } why)
                yield return $"QMP command '{command}' is allowed on host {_hostId}: {why}; any sender on the broker may use it";
    }

    /// <summary>Throws <see cref="HostErrorClasses.NotAllowed"/> unless <paramref name="command"/> with <paramref name="arguments"/> may run.</summary>
    public void Check(string vm, string command, JsonObject? arguments)
    {
        if (!HostWorkerOptions.IsQmpCommandName(command))
            throw new HostCommandException(HostErrorClasses.BadRequest, $"VM {vm}: '{command}' is not a QMP command name (letters, digits, '-', '_')");
        if (!IsAllowed(command))
            throw new HostCommandException(HostErrorClasses.NotAllowed,
                $"VM {vm}: QMP command '{command}' is not allowed on host {_hostId} (allow it with --allow-qmp {command} or VirtFlow:Worker:AllowQmp)");
        if (arguments is null || IsReadOnly(command)) return;
        if (HostPathScan.Refusal(command, arguments, _roots) is { } refusal)
            throw new HostCommandException(HostErrorClasses.NotAllowed, $"VM {vm}: QMP command '{command}': {refusal}");
    }

    private bool IsAllowed(string command)
    {
        if (DangerousQmp.Why(command) is not null) return _allowed.Contains(command);
        return IsReadOnly(command) || _wildcard || _allowed.Contains(command);
    }

    private static bool IsReadOnly(string command) => command.StartsWith("query-", StringComparison.Ordinal);
}
