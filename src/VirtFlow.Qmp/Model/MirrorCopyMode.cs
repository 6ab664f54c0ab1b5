namespace VirtFlow.Qmp;

/// <summary>Values of <see cref="MirrorRequest.CopyMode"/>.</summary>
public static class MirrorCopyMode
{
    /// <summary>Guest writes go to the source; the job copies dirty blocks in the background.</summary>
    public const string Background = "background";

    /// <summary>Guest writes go to both sides synchronously once READY: the mirror always converges.</summary>
    public const string WriteBlocking = "write-blocking";
}
