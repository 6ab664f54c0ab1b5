using System.Diagnostics;

namespace VirtFlow.Testing;

/// <summary>
/// A real tiny Linux guest (docs tiny-guest.md) under TCG: its ext4 data disk <c>/dev/vda</c> (node
/// <c>src-vda</c>, device <c>vda</c>) is a private copy of <see cref="TinyGuestImage.BaseDisk"/>, a real
/// qemu-ga answers on <see cref="QgaSocket"/>, and the guest writes to the disk with fsync all the time,
/// printing <c>counter=N</c> on the serial console after each write (about 5-10 per second).
/// Two QMP monitors: <see cref="QmpSocket"/> for the code under test, <see cref="TestQmpSocket"/> for the test.
/// </summary>
/// <remarks>
/// <see cref="DisposeAsync"/> thaws a guest left frozen (see <see cref="Teardown"/>), then quits QEMU, killing it
/// if it does not exit. The QGA chardev takes one client at a time: dispose your own clients before the guest.
/// </remarks>
public sealed partial class TinyGuest : IAsyncDisposable
{
    /// <summary>The line init prints on the serial console once qemu-ga holds its port.</summary>
    public const string ReadyMarker = "VIRTFLOW-GUEST-READY";

    /// <summary>The line init prints before powering off when it cannot set the guest up.</summary>
    public const string FailedMarker = "VIRTFLOW-GUEST-FAILED";

    /// <summary>The block node name of the guest's data disk.</summary>
    public const string DiskNodeName = "src-vda";

    /// <summary>The device id of the guest's data disk.</summary>
    public const string DiskDeviceId = "vda";

    /// <summary>
    /// How long <see cref="StartAsync"/> waits for <see cref="ReadyMarker"/> by default: 90 s, or
    /// <c>$VIRTFLOW_GUEST_READY_TIMEOUT</c> seconds. A boot takes about 10 s on an idle 2-core host under TCG,
    /// but 30 s and more when the host is loaded.
    /// </summary>
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("VIRTFLOW_GUEST_READY_TIMEOUT"), out var s) && s > 0 ? s : 90);

    private readonly Stopwatch _sinceLaunch;
    private int _disposed;

    private TinyGuest(string dir, QemuProcess process, Stopwatch sinceLaunch)
    {
        Dir = dir;
        Process = process;
        _sinceLaunch = sinceLaunch;
    }

    /// <summary>The guest's own folder (sockets, disk, logs).</summary>
    public string Dir { get; }

    /// <summary>The QEMU process.</summary>
    public QemuProcess Process { get; }

    /// <summary>QMP monitor for the code under test.</summary>
    public string QmpSocket => Path.Combine(Dir, "qmp.sock");

    /// <summary>QMP monitor for the test itself.</summary>
    public string TestQmpSocket => Path.Combine(Dir, "qmp-test.sock");

    /// <summary>The host side of the guest agent's virtio-serial port.</summary>
    public string QgaSocket => Path.Combine(Dir, "qga.sock");

    /// <summary>The guest's data disk (qcow2, this guest's own copy).</summary>
    public string DiskPath => Path.Combine(Dir, "disk.qcow2");

    /// <summary>The serial console's output.</summary>
    public string SerialLog => Path.Combine(Dir, "serial.log");

    /// <summary>Time from QEMU's start to <see cref="ReadyMarker"/>, once seen.</summary>
    public TimeSpan? BootTime { get; private set; }

    /// <summary>True once <see cref="ReadyMarker"/> was seen.</summary>
    public bool IsReady => BootTime is not null;

    /// <summary>What <see cref="DisposeAsync"/> found and did; null before dispose.</summary>
    public TinyGuestTeardown? Teardown { get; private set; }

    /// <summary>Builds the image if needed, boots a guest and waits until its agent is ready.</summary>
    public static async Task<TinyGuest> StartAsync(TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default)
    {
        var guest = await LaunchAsync(cancellationToken);
        try
        {
            await guest.WaitUntilReadyAsync(readyTimeout, cancellationToken);
            return guest;
        }
        catch
        {
            await guest.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the image if needed and starts QEMU, returning once its sockets exist (the guest is still booting).</summary>
    public static async Task<TinyGuest> LaunchAsync(CancellationToken cancellationToken = default)
    {
        await TinyGuestImage.EnsureBuiltAsync();
        QemuProcess.KillLeftovers();
        var dir = TestDirs.Create("guest");
        File.Copy(TinyGuestImage.BaseDisk, Path.Combine(dir, "disk.qcow2"));
        var sinceLaunch = Stopwatch.StartNew();
        var guest = new TinyGuest(dir, QemuProcess.Start(dir, Arguments(dir)), sinceLaunch);
        try
        {
            foreach (var socket in new[] { guest.QmpSocket, guest.TestQmpSocket, guest.QgaSocket })
            {
                cancellationToken.ThrowIfCancellationRequested();
                await guest.Process.WaitForFileAsync(socket, TimeSpan.FromSeconds(20));
            }
            return guest;
        }
        catch
        {
            await guest.DisposeAsync();
            throw;
        }
    }

    /// <summary>The VM of tiny-guest.md, with two QMP monitors and the data disk as node <see cref="DiskNodeName"/>.</summary>
    private static string[] Arguments(string dir) =>
    [
        "-machine", "q35", "-accel", "tcg", "-m", "256", "-smp", "1", "-nodefaults", "-display", "none",
        "-kernel", TinyGuestImage.Kernel, "-initrd", TinyGuestImage.Initrd,
        "-append", "console=ttyS0 quiet panic=-1",
        "-serial", "file:" + Path.Combine(dir, "serial.log"), "-no-reboot",
        "-qmp", $"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off",
        "-qmp", $"unix:{Path.Combine(dir, "qmp-test.sock")},server=on,wait=off",
        "-blockdev", $"driver=qcow2,node-name={DiskNodeName},file.driver=file,file.filename={Path.Combine(dir, "disk.qcow2")}",
        "-device", $"virtio-blk-pci,drive={DiskNodeName},id={DiskDeviceId},share-rw=on",
        "-device", "virtio-serial-pci",
        "-chardev", $"socket,path={Path.Combine(dir, "qga.sock")},server=on,wait=off,id=qga0",
        "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
    ];

    /// <summary>Thaws the guest if it was left frozen, quits QEMU (kills it if need be). Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (Process.HasExited)
            {
                Teardown = new TinyGuestTeardown(false, null, null, null, null);
                return;
            }
            Teardown = IsReady ? await ThawIfFrozenAsync() : new TinyGuestTeardown(true, null, null, null, "guest never became ready");
            try
            {
                await QuitAsync(TimeSpan.FromSeconds(10));
                Teardown = Teardown with { QuitCleanly = true };
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                Teardown = Teardown with { Error = (Teardown.Error is null ? "" : Teardown.Error + "; ") + "quit failed, killed: " + e.Message };
            }
        }
        finally
        {
            await Process.DisposeAsync();
        }
    }
}
