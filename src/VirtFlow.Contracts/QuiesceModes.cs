namespace VirtFlow.Contracts;

/// <summary>Values of <see cref="QuiesceVm.Mode"/> and of the <c>method</c> the worker reports.</summary>
public static class QuiesceModes
{
    /// <summary>fsfreeze when the guest agent answers, else pause.</summary>
    public const string Auto = "auto";
    /// <summary>Guest-agent <c>guest-fsfreeze-freeze</c> / <c>guest-fsfreeze-thaw</c>.</summary>
    public const string FsFreeze = "fsfreeze";
    /// <summary>QMP <c>stop</c> / <c>cont</c>.</summary>
    public const string Pause = "pause";
    /// <summary>Nothing (a lease is still recorded).</summary>
    public const string None = "none";
}
