using System.Diagnostics.CodeAnalysis;
using VirtFlow.HostWorker;
using VirtFlow.Qmp;

namespace VirtFlow.Hosting.Embedded;

/// <summary>
/// A VM as given on the command line: <c>name=qmp:PATH[,qga:PATH]</c>. The QMP part may also be
/// <c>qmp:unix:PATH</c> or <c>qmp:tcp:HOST:PORT</c>; the guest agent is the host side of its channel's socket.
/// </summary>
/// <param name="Name">The name workflows use (<c>vm:</c> inputs).</param>
/// <param name="Qmp">Its QMP monitor (the worker holds it).</param>
/// <param name="Qga">Its guest agent's socket, or null.</param>
public sealed record VmSpec(string Name, string Qmp, string? Qga = null)
{
    /// <summary>The accepted form, for messages.</summary>
    public const string Form = "name=qmp:PATH[,qga:PATH]";

    /// <summary>The worker's view of this VM.</summary>
    public HostVm ToHostVm() => new(Name, Qmp, Qga);

    /// <summary>Reads a spec; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static VmSpec Parse(string text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

    /// <summary>Reads a spec, or says what is wrong with it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out VmSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"empty VM spec; expected {Form}";
            return false;
        }
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            error = $"'{text}' is not {Form}";
            return false;
        }
        var name = text[..eq].Trim();
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            error = $"'{text}': the VM name '{name}' may only hold letters, digits, '-', '_' and '.'";
            return false;
        }
        string? qmp = null, qga = null;
        foreach (var part in text[(eq + 1)..].Split(','))
        {
            var item = part.Trim();
            if (item.StartsWith("qmp:", StringComparison.Ordinal) && qmp is null) qmp = item[4..];
            else if (item.StartsWith("qga:", StringComparison.Ordinal) && qga is null) qga = item[4..];
            else
            {
                error = $"'{text}': unexpected '{item}'; expected {Form}";
                return false;
            }
        }
        if (string.IsNullOrEmpty(qmp))
        {
            error = $"'{text}' names no QMP socket; expected {Form}";
            return false;
        }
        if (!QmpEndpoint.TryParse(qmp, out _, out var qmpError))
        {
            error = $"'{text}': QMP socket: {qmpError}";
            return false;
        }
        if (qga is not null && (qga.Length == 0 || !QmpEndpoint.TryParse(qga, out _, out _)))
        {
            error = $"'{text}': guest-agent socket '{qga}' is not a path";
            return false;
        }
        spec = new VmSpec(name, qmp, qga);
        error = null;
        return true;
    }

    public override string ToString() => Qga is null ? $"{Name}=qmp:{Qmp}" : $"{Name}=qmp:{Qmp},qga:{Qga}";
}
