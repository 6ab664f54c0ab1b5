using System.Globalization;
using System.Text.RegularExpressions;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// <c>virtflow demo</c> as a user runs it (the real executable), on the tiny real guest: the guest writes to its disks
/// while they move, the switch freezes it through its agent, and afterwards every write it acknowledged is read back
/// from the copies, in the guest and from the image files. Nothing is left running.
/// </summary>
public sealed partial class When_the_demo_runs_on_the_real_guest
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Every_write_the_guest_acknowledged_is_on_the_copies_and_nothing_is_left_running()
    {
        await TinyGuestImage.EnsureBuiltAsync();
        var tmp = TestDirs.Create("demo");
        await using var demo = VirtFlowProcess.Start(new Dictionary<string, string> { ["TMPDIR"] = tmp }, "demo", "--guest", TinyGuestImage.Dir);
        var code = await demo.WaitForExitAsync(Limit);
        var output = demo.Stdout;
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.True(code == 0, demo.ToString());
        // the guest was frozen for the switch through its agent, and found thawed and running afterwards
        Assert.Contains(lines, l => l.Contains("] quiesce window: guest held by fsfreeze for ", StringComparison.Ordinal));
        Assert.Contains("demo: VM status running, jobs left in QEMU: 0", lines);
        Assert.Contains(lines, l => l.StartsWith("demo: guest agent: filesystems thawed; the guest goes on writing", StringComparison.Ordinal));
        foreach (var dev in new[] { "vda", "vdb", "vdc" })
            Assert.Contains(lines, l => l.StartsWith($"demo: {dev} runs on ", StringComparison.Ordinal) && l.EndsWith("/moved/" + dev + (dev == "vdb" ? ".raw" : ".qcow2") + " (the copy)", StringComparison.Ordinal));

        // the guest wrote while the workflow ran, and afterwards
        var during = Number(lines, DuringRun());
        Assert.True(during > 0, $"no guest write while the workflow ran:\n{output}");
        var acked = Number(lines, Acked());
        Assert.True(acked > during, output);

        // every acknowledged record, read back in the guest from the copies and from the image files after QEMU exited
        Assert.Contains($"demo: read back in the guest from /dev/vdb on its copy: records 1..{acked} (all there)", lines);
        Assert.Contains($"demo: read back in the guest from /dev/vdc on its copy: records 1..{acked} (all there)", lines);
        Assert.Contains($"demo: read back in the guest from /mnt/virtflow-writes (on vda) on its copy: records 1..{acked} (all there)", lines);
        foreach (var dev in new[] { "vdb", "vdc" })
        {
            var line = Assert.Single(lines, l => l.StartsWith($"demo: {dev} image files after QEMU exited: ", StringComparison.Ordinal));
            var m = ImageLine().Match(line);
            Assert.True(m.Success, line);
            Assert.Equal(acked, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            // the source has what was written before the switch only: the guest went on writing to the copy
            var onSource = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.InRange(onSource, 1, acked - 1);
        }
        Assert.StartsWith("demo: done in ", lines.Last(l => l.Length > 0), StringComparison.Ordinal);
        Assert.Contains($"every write it acknowledged ({acked} per disk) is on the copies", output, StringComparison.Ordinal);

        AssertNothingLeft(tmp);
    }

    [Fact]
    public async Task By_hand_over_QMP_too_every_acknowledged_write_is_on_the_copies()
    {
        await TinyGuestImage.EnsureBuiltAsync();
        var tmp = TestDirs.Create("demo-qmp");
        await using var demo = VirtFlowProcess.Start(new Dictionary<string, string> { ["TMPDIR"] = tmp }, "demo", "--qmp", "--guest", TinyGuestImage.Dir);
        var code = await demo.WaitForExitAsync(Limit);
        var lines = demo.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.True(code == 0, demo.ToString());
        Assert.Contains(lines, l => l.StartsWith("demo: VM paused ", StringComparison.Ordinal) && l.EndsWith(" in all, then resumed", StringComparison.Ordinal));
        Assert.Contains("demo: vdb now uses node tgt-vdb (the copy)", lines);
        var acked = Number(lines, AckedByHand());
        Assert.Contains($"demo: read back in the guest from /dev/vdb on its copy: records 1..{acked} (all there)", lines);
        Assert.Contains($"demo: read back in the guest from /mnt/virtflow-writes (on vda) on its copy: records 1..{acked} (all there)", lines);
        var image = ImageLine().Match(Assert.Single(lines, l => l.StartsWith("demo: vdb image files after QEMU exited: ", StringComparison.Ordinal)));
        Assert.True(image.Success, demo.Stdout);
        Assert.Equal(acked, int.Parse(image.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.InRange(int.Parse(image.Groups[2].Value, CultureInfo.InvariantCulture), 1, acked - 1);
        Assert.StartsWith("demo: done in ", lines.Last(l => l.Length > 0), StringComparison.Ordinal);

        AssertNothingLeft(tmp);
    }

    [Fact]
    public async Task Interrupted_while_the_guest_boots_it_leaves_no_QEMU_behind()
    {
        await TinyGuestImage.EnsureBuiltAsync();
        var tmp = TestDirs.Create("demo-int");
        await using var demo = VirtFlowProcess.Start(new Dictionary<string, string> { ["TMPDIR"] = tmp }, "demo", "--guest", TinyGuestImage.Dir);
        await demo.WaitForLineAsync("demo: booting the tiny real guest", Limit);
        await Eventually.Until(() => Task.FromResult(QemuUnder(tmp).Count > 0), TimeSpan.FromSeconds(60), "QEMU started by the demo");
        demo.Interrupt();
        await demo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        AssertNothingLeft(tmp);
    }

    [Fact]
    public async Task Without_the_guest_it_says_to_run_build_sh_demo()
    {
        var missing = Path.Combine(TestDirs.Create("demo-noguest"), "no-guest-here");
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(TimeSpan.FromMinutes(1), "demo", "--guest", missing);

        Assert.Equal(2, code);
        Assert.Contains("the tiny guest was not found", stderr, StringComparison.Ordinal);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.Contains("./build.sh demo", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("booting", stdout, StringComparison.Ordinal);
    }

    private static void AssertNothingLeft(string tmp)
    {
        Assert.Empty(QemuUnder(tmp));
        Assert.Empty(Directory.GetDirectories(tmp, "virtflow-demo-*"));
    }

    /// <summary>Processes whose command line names a path under <paramref name="dir"/> (the demo's QEMU does).</summary>
    private static List<string> QemuUnder(string dir)
    {
        var found = new List<string>();
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains(dir + "/", StringComparison.Ordinal))
                    found.Add($"{pid}: {cmdline}");
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    private static int Number(List<string> lines, Regex pattern)
    {
        foreach (var line in lines)
            if (pattern.Match(line) is { Success: true } m) return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        throw new Xunit.Sdk.XunitException($"no line matching {pattern}:\n{string.Join('\n', lines)}");
    }

    [GeneratedRegex(@"^demo: the guest acknowledged (\d+) writes while the workflow ran")]
    private static partial Regex DuringRun();

    [GeneratedRegex(@"^demo: the guest stopped writing: (\d+) records acknowledged on each of vdb, vdc and /mnt/virtflow-writes$")]
    private static partial Regex Acked();

    [GeneratedRegex(@"^demo: the guest stopped writing: (\d+) records acknowledged on each of vdb and /mnt/virtflow-writes$")]
    private static partial Regex AckedByHand();

    [GeneratedRegex(@"the copy holds records 1\.\.(\d+); the source 1\.\.(\d+) \(written before the switch")]
    private static partial Regex ImageLine();
}
