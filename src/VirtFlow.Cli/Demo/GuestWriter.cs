using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Qmp;

namespace VirtFlow.Cli.Demo;

/// <summary>
/// The guest's own writes during the demo: a loop started in the tiny guest through its agent (<c>guest-exec</c>)
/// that writes numbered 4 KiB records (<c>virtflow-write 000001</c>, ...) to each data disk through virtio
/// (<c>dd oflag=direct conv=fsync</c>: done only when the device acknowledged and flushed it) and appends the same
/// line to <c>/mnt/virtflow-writes</c> on the ext4 disk (fsync'd). Only once all of record N is written does it
/// count N as acknowledged and print <c>virtflow-write=N</c> on the serial console. Record N sits in block
/// <see cref="FirstBlock"/> + N - 1 of every data disk.
/// </summary>
internal static class GuestWriter
{
    /// <summary>Record 1's 4 KiB block on each data disk: 48 MiB in, after the data the demo put there.</summary>
    public const long FirstBlock = 12288;

    /// <summary>At most this many records (the 16 MiB after <see cref="FirstBlock"/>).</summary>
    public const int MaxRecords = 4096;

    /// <summary>The serial console's prefix of an acknowledged write: <c>virtflow-write=N</c>.</summary>
    public const string SerialPrefix = "virtflow-write";

    private const int BlockSize = 4096;
    private const string StopFile = "/run/virtflow-writer.stop";

    // $1 first block, $2 most records, then the serials of the data disks. Prints acked=N at the end.
    private const string WriterScript = """
        base=$1; max=$2; shift 2; n=0; devs=
        fail() { echo "$*" >&2; echo "acked=$n"; exit 3; }
        for s in "$@"; do
          dev=; for b in /sys/block/vd*; do [ "$(cat "$b/serial" 2>/dev/null)" = "$s" ] && dev=/dev/${b##*/}; done
          [ -n "$dev" ] || fail "no disk with serial $s"
          devs="$devs $dev"
        done
        rm -f /run/virtflow-writer.stop
        while [ ! -e /run/virtflow-writer.stop ] && [ $n -lt $max ]; do
          r=$(printf 'virtflow-write %06d' $((n+1)))
          for d in $devs; do
            printf '%-4095s\n' "$r" | dd of=$d bs=4096 seek=$((base+n)) count=1 oflag=direct conv=notrunc,fsync 2>/dev/null || fail "write $((n+1)) to $d failed"
          done
          echo "$r" | dd of=/mnt/virtflow-writes oflag=append conv=notrunc,fsync 2>/dev/null || fail "write $((n+1)) to /mnt/virtflow-writes failed"
          n=$((n+1))
          echo "virtflow-write=$n" >/dev/ttyS0
          usleep 20000
        done
        echo "acked=$n"
        """;

    // $1 first block, $2 records, then the serials. Drops the guest's caches, so every read below comes from the disks.
    private const string ReadBackScript = """
        base=$1; n=$2; shift 2
        sync; echo 3 >/proc/sys/vm/drop_caches
        for s in "$@"; do
          dev=; for b in /sys/block/vd*; do [ "$(cat "$b/serial" 2>/dev/null)" = "$s" ] && dev=/dev/${b##*/}; done
          echo "== $s"
          [ -n "$dev" ] && [ "$n" -gt 0 ] && dd if=$dev bs=4096 skip=$base count=$n iflag=direct 2>/dev/null | grep -a -o 'virtflow-write [0-9]*'
        done
        echo "== /mnt/virtflow-writes"
        cat /mnt/virtflow-writes
        true
        """;

    /// <summary>Starts the loop in the guest; returns its pid there.</summary>
    public static async Task<long> StartAsync(IQgaClient agent, IReadOnlyList<string> serials, CancellationToken ct)
    {
        var reply = await ExecAsync(agent, WriterScript, [FirstBlock.ToString(CultureInfo.InvariantCulture), MaxRecords.ToString(CultureInfo.InvariantCulture), .. serials], ct);
        return reply["pid"]?.GetValue<long>() ?? throw new InvalidOperationException("guest-exec returned no pid: " + reply.ToJsonString());
    }

    /// <summary>Asks the loop to stop, waits for it, and returns how many records the guest acknowledged.</summary>
    public static async Task<int> StopAsync(IQgaClient agent, long pid, TimeSpan timeout, CancellationToken ct)
    {
        var (code, _, _) = await RunAsync(agent, $"touch {StopFile}", [], timeout, ct);
        if (code != 0) throw new InvalidOperationException($"could not ask the guest's writer to stop (exit {code})");
        var (exit, output, error) = await WaitAsync(agent, pid, timeout, ct);
        var acked = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("acked=", StringComparison.Ordinal));
        if (exit != 0 || acked is null)
            throw new InvalidOperationException($"the guest's writer failed (exit {exit}): {error.Trim()} {output.Trim()}");
        return int.Parse(acked["acked=".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads records 1..<paramref name="count"/> back inside the guest, from each data disk (O_DIRECT, after dropping
    /// the guest's caches) and from <c>/mnt/virtflow-writes</c>; returns the record numbers found per place, in order.
    /// </summary>
    public static async Task<IReadOnlyList<(string Place, IReadOnlyList<int> Records)>> ReadBackInGuestAsync(
        IQgaClient agent, IReadOnlyList<string> serials, int count, CancellationToken ct)
    {
        var (exit, output, error) = await RunAsync(agent, ReadBackScript,
            [FirstBlock.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), .. serials], TimeSpan.FromSeconds(60), ct);
        if (exit != 0) throw new InvalidOperationException($"reading back in the guest failed (exit {exit}): {error.Trim()}");
        var result = new List<(string, IReadOnlyList<int>)>();
        List<int>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("== ", StringComparison.Ordinal))
            {
                current = [];
                result.Add((line[3..], current));
            }
            else if (current is not null && line.StartsWith("virtflow-write ", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan("virtflow-write ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                current.Add(n);
        }
        return result;
    }

    /// <summary>
    /// Reads an image file from the host (QEMU has exited): which records 1..<paramref name="count"/> are in their
    /// blocks. A qcow2 image is first converted to raw beside it.
    /// </summary>
    public static async Task<IReadOnlyList<int>> ReadBackFromImageAsync(string image, int count, CancellationToken ct)
    {
        var raw = image;
        if (!image.EndsWith(".raw", StringComparison.Ordinal))
        {
            raw = image + ".check.raw";
            await DemoVm.RunToolAsync("qemu-img", ["convert", "-O", "raw", image, raw], ct);
        }
        var found = new List<int>();
        try
        {
            await using var file = new FileStream(raw, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[BlockSize];
            for (var n = 1; n <= count; n++)
            {
                file.Position = (FirstBlock + n - 1) * BlockSize;
                var read = await file.ReadAtLeastAsync(buffer, BlockSize, throwOnEndOfStream: false, ct);
                if (read == BlockSize && Encoding.ASCII.GetString(buffer, 0, 21) == Record(n) && buffer[BlockSize - 1] == (byte)'\n') found.Add(n);
            }
        }
        finally
        {
            if (raw != image) File.Delete(raw);
        }
        return found;
    }

    /// <summary>The text of record <paramref name="n"/>.</summary>
    public static string Record(int n) => "virtflow-write " + n.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="records"/> is exactly 1..<paramref name="count"/>.</summary>
    public static bool IsComplete(IReadOnlyList<int> records, int count) =>
        records.Count == count && records.Select((r, i) => r == i + 1).All(x => x);

    /// <summary>"1..N" or the first gap, for messages.</summary>
    public static string Describe(IReadOnlyList<int> records, int count)
    {
        if (IsComplete(records, count)) return count == 0 ? "none" : $"1..{count}";
        var missing = Enumerable.Range(1, count).Except(records).ToList();
        return $"{records.Count} of {count}, missing {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")}";
    }

    private static async Task<JsonObject> ExecAsync(IQgaClient agent, string script, IEnumerable<string> args, CancellationToken ct)
    {
        var arg = new JsonArray("-c", script, "virtflow-demo");
        foreach (var a in args) arg.Add(a);
        var reply = await agent.ExecuteAsync("guest-exec", new JsonObject
        {
            ["path"] = "/bin/sh",
            ["arg"] = arg,
            ["capture-output"] = true,
        }, cancellationToken: ct);
        return reply as JsonObject ?? throw new InvalidOperationException("guest-exec: unexpected reply " + reply.ToJsonString());
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(IQgaClient agent, string script, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var reply = await ExecAsync(agent, script, args, ct);
        var pid = reply["pid"]?.GetValue<long>() ?? throw new InvalidOperationException("guest-exec returned no pid: " + reply.ToJsonString());
        return await WaitAsync(agent, pid, timeout, ct);
    }

    private static async Task<(int Exit, string Out, string Err)> WaitAsync(IQgaClient agent, long pid, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await agent.ExecuteAsync("guest-exec-status", new JsonObject { ["pid"] = pid }, cancellationToken: ct);
            if (status["exited"]?.GetValue<bool>() == true)
                return (status["exitcode"]?.GetValue<int>() ?? -1, Decode(status["out-data"]), Decode(status["err-data"]));
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"guest process {pid} did not end within {timeout.TotalSeconds:0} s");
            await Task.Delay(50, ct);
        }
    }

    private static string Decode(JsonNode? base64) =>
        base64 is null ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(base64.GetValue<string>()));
}
