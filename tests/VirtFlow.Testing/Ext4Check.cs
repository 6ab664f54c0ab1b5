namespace VirtFlow.Testing;

/// <summary>Checks an ext4 filesystem in a qcow2 image with <c>e2fsck -fn</c> (read-only), on a raw copy.</summary>
public static class Ext4Check
{
    /// <summary>
    /// Converts <paramref name="qcow2Path"/> to raw beside it and runs <c>e2fsck -fn</c> on that; exit code 0 means clean.
    /// With <paramref name="replayJournal"/>, first replays the journal on the copy (<c>e2fsck -E journal_only</c>, what
    /// the kernel does at mount), for an image whose filesystem was mounted, unfrozen, when QEMU stopped.
    /// QEMU must no longer be writing the image.
    /// </summary>
    public static async Task<ExternalTool.Result> CheckAsync(string qcow2Path, bool replayJournal = false, CancellationToken cancellationToken = default)
    {
        var raw = Path.ChangeExtension(qcow2Path, ".fsck.raw");
        try
        {
            await ExternalTool.RunCheckedAsync("qemu-img", ["convert", "-O", "raw", qcow2Path, raw], cancellationToken: cancellationToken);
            var replayed = "";
            if (replayJournal)
            {
                var replay = await ExternalTool.RunAsync("e2fsck", ["-fy", "-E", "journal_only", raw], cancellationToken: cancellationToken);
                if (replay.ExitCode is not (0 or 1)) return replay; // 1: "errors corrected", i.e. the journal was replayed
                replayed = replay.StdOut + replay.StdErr;
            }
            var check = await ExternalTool.RunAsync("e2fsck", ["-fn", raw], cancellationToken: cancellationToken);
            return check with { StdOut = replayed + check.StdOut };
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
