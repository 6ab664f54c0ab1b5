using System.Globalization;
using VirtFlow.Qmp;

namespace VirtFlow.Testing;

/// <summary>
/// A real QEMU VM for tests: q35, TCG, <c>-nodefaults -display none</c>, stopped (<c>-S</c>) unless asked,
/// virtio-blk disks vda, vdb, ... (<c>share-rw=on</c>, nodes src-vda, ...) on images made with qemu-img, and two
/// QMP monitors: <see cref="QmpSocketPath"/> for the code under test and <see cref="Monitor"/> (already connected)
/// for the test itself. Dispose kills QEMU on every path and removes the scratch folder.
/// </summary>
public sealed class QemuVm : IAsyncDisposable
{
    private static readonly Lazy<bool> LeftoversKilled = new(() => { QemuProcess.KillLeftovers(); return true; });
    private int _disposed;

    private QemuVm(string dir, QemuVmOptions options, IReadOnlyList<QemuVmDisk> disks, QemuProcess process, int tcpPort)
    {
        TcpMonitorEndpoint = tcpPort > 0 ? $"tcp:127.0.0.1:{tcpPort}" : null;
        Dir = dir;
        Options = options;
        Disks = disks;
        Process = process;
    }

    /// <summary>The VM's scratch folder (images, sockets, qemu.log).</summary>
    public string Dir { get; }

    /// <summary>What the VM was built from.</summary>
    public QemuVmOptions Options { get; }

    /// <summary>The disks, vda first.</summary>
    public IReadOnlyList<QemuVmDisk> Disks { get; }

    /// <summary>The QEMU process (pid, log, freeze/thaw/kill).</summary>
    public QemuProcess Process { get; }

    /// <summary>The monitor left free for the code under test.</summary>
    public string QmpSocketPath => Path.Combine(Dir, "qmp.sock");

    /// <summary>The test's own monitor socket; <see cref="Monitor"/> is connected to it.</summary>
    public string MonitorSocketPath => Path.Combine(Dir, "mon.sock");

    /// <summary><c>tcp:127.0.0.1:PORT</c> of the extra TCP monitor when <see cref="QemuVmOptions.TcpMonitor"/> was set, else null.</summary>
    public string? TcpMonitorEndpoint { get; }

    /// <summary>The test's own QMP connection (to watch, write, quit), independent of the code under test.</summary>
    public QmpClient Monitor { get; private set; } = null!;

    /// <summary>Creates the disk images and starts QEMU; returns once both monitors accept connections.</summary>
    public static async Task<QemuVm> StartAsync(QemuVmOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new QemuVmOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Disks, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Disks, 26);
        _ = LeftoversKilled.Value;
        var dir = TestDirs.Create("vm");
        var disks = new List<QemuVmDisk>();
        try
        {
            for (var i = 0; i < options.Disks; i++)
            {
                var id = "vd" + (char)('a' + i);
                var folder = i < options.DiskFolders.Count && options.DiskFolders[i].Length > 0
                    ? Directory.CreateDirectory(Path.Combine(dir, options.DiskFolders[i])).FullName
                    : dir;
                var disk = new QemuVmDisk(id, "src-" + id, Path.Combine(folder, $"{id}.{options.Format}"), options.Format, options.DiskSize);
                await QemuImg.CreateAsync(disk.ImagePath, disk.Format, disk.Size, cancellationToken);
                if (options.PrefillBytes > 0)
                    await QemuImg.FillAsync(disk.ImagePath, disk.Format, QemuVmOptions.PrefillPattern(i), 0, Math.Min(options.PrefillBytes, disk.Size), cancellationToken);
                disks.Add(disk);
            }
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }

        var tcpPort = options.TcpMonitor ? FreeTcpPort() : 0;
        var vm = new QemuVm(dir, options, disks, QemuProcess.Start(dir, BuildArgs(dir, options, disks, tcpPort)), tcpPort);
        try
        {
            await vm.Process.WaitForFileAsync(vm.QmpSocketPath, options.StartTimeout);
            await vm.Process.WaitForFileAsync(vm.MonitorSocketPath, options.StartTimeout);
            vm.Monitor = await vm.ConnectAsync(vm.MonitorSocketPath, null, cancellationToken);
            return vm;
        }
        catch
        {
            await vm.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects a new client to <see cref="QmpSocketPath"/> (the code under test's monitor; one client at a time).</summary>
    public Task<QmpClient> ConnectAsync(QmpClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(QmpSocketPath, options, cancellationToken);

    /// <summary>The disk with device id <paramref name="id"/> (<c>vda</c>).</summary>
    public QemuVmDisk Disk(string id) =>
        Disks.FirstOrDefault(d => d.Id == id) ?? throw new ArgumentException($"no disk {id} (have {string.Join(", ", Disks.Select(d => d.Id))})", nameof(id));

    /// <summary>Creates an empty image for mirroring disk <paramref name="id"/> to, the same size, in <see cref="Dir"/>.</summary>
    public async Task<string> CreateTargetImageAsync(string id, string? format = null, CancellationToken cancellationToken = default)
    {
        var disk = Disk(id);
        format ??= disk.Format;
        var path = Path.Combine(Dir, $"tgt-{id}.{format}");
        await QemuImg.CreateAsync(path, format, disk.Size, cancellationToken);
        return path;
    }

    /// <summary>
    /// A guest-like write through device <paramref name="device"/> (so it lands on whatever image the device uses now),
    /// via HMP <c>qemu-io -d /machine/peripheral/ID/virtio-backend "write -P ..."</c> on the test's monitor.
    /// </summary>
    /// <remarks>
    /// HMP answers "" on success and "Error: ..." when the command is refused; an I/O failure inside qemu-io is only
    /// printed on QEMU's stdout, so the range is checked here against the disk size.
    /// </remarks>
    public async Task GuestWriteAsync(string device, byte pattern, long offset, long length, CancellationToken cancellationToken = default)
    {
        var disk = Disk(device);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (offset + length > disk.Size)
            throw new ArgumentOutOfRangeException(nameof(length), $"{offset}+{length} is past the end of {device} ({disk.Size} bytes)");
        var reply = await Monitor.HumanMonitorCommandAsync(
            string.Create(CultureInfo.InvariantCulture, $"qemu-io -d {disk.QdevPath} \"write -P 0x{pattern:x2} {offset} {length}\""),
            TimeSpan.FromSeconds(60), cancellationToken);
        if (reply.Trim().Length > 0)
            throw new InvalidOperationException($"guest write on {device} failed: {reply.Trim()}");
    }

    /// <summary><c>qemu-img compare</c>; call after <see cref="ShutdownAsync"/>, never on images a live QEMU holds.</summary>
    public static Task<QemuImg.CompareResult> QemuImgCompareAsync(string a, string b, CancellationToken cancellationToken = default) =>
        QemuImg.CompareAsync(a, b, cancellationToken);

    /// <summary>QMP <c>quit</c> on the test's monitor, then waits for QEMU to exit (kills it after <paramref name="timeout"/>, default 30 s).</summary>
    public async Task ShutdownAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        if (!Process.HasExited && Monitor is { State: QmpClientState.Running })
        {
            try
            {
                await Monitor.QuitAsync(limit);
            }
            catch (QmpException)
            {
                // The monitor is gone or QEMU did not answer: waiting below, then killing, still ends it.
            }
        }
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await Process.DisposeAsync();
            throw new TimeoutException($"QEMU {Process.Pid} did not exit within {limit} after quit; killed it. Log: {Process.ReadLog()}");
        }
        if (Monitor is not null) await Monitor.DisposeAsync();
    }

    /// <summary>Kills QEMU if still running, closes the monitor and deletes <see cref="Dir"/> (kept when VIRTFLOW_KEEP_TEST_DIRS=1).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            if (Monitor is not null) await Monitor.DisposeAsync();
        }
        finally
        {
            await Process.DisposeAsync();
            if (Environment.GetEnvironmentVariable("VIRTFLOW_KEEP_TEST_DIRS") != "1")
            {
                try { Directory.Delete(Dir, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
    }

    private async Task<QmpClient> ConnectAsync(string socket, QmpClientOptions? options, CancellationToken cancellationToken)
    {
        // QEMU creates the socket file at bind() and listens just after: a connect in between is refused, so retry briefly.
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await QmpClient.ConnectAsync(QmpEndpoint.Unix(socket), options, cancellationToken);
            }
            catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.ConnectFailed && !Process.HasExited && started.Elapsed < Options.StartTimeout)
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (QmpException e) when (Process.HasExited)
            {
                throw new InvalidOperationException($"QEMU exited before its monitor answered ({e.Message}): {Process.ReadLog()}", e);
            }
        }
    }

    private static int FreeTcpPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static List<string> BuildArgs(string dir, QemuVmOptions options, IReadOnlyList<QemuVmDisk> disks, int tcpPort)
    {
        static string Escape(string path) => path.Replace(",", ",,", StringComparison.Ordinal);
        var args = new List<string> { "-machine", "q35", "-accel", "tcg", "-nodefaults", "-display", "none", "-m", "128" };
        if (!options.StartRunning) args.Add("-S");
        args.AddRange(["-qmp", $"unix:{Escape(Path.Combine(dir, "qmp.sock"))},server=on,wait=off"]);
        args.AddRange(["-qmp", $"unix:{Escape(Path.Combine(dir, "mon.sock"))},server=on,wait=off"]);
        if (tcpPort > 0) args.AddRange(["-qmp", $"tcp:127.0.0.1:{tcpPort},server=on,wait=off"]);
        foreach (var disk in disks)
        {
            args.AddRange(["-blockdev", $"driver={disk.Format},node-name={disk.NodeName},file.driver=file,file.filename={Escape(disk.ImagePath)}"]);
            args.AddRange(["-device", $"virtio-blk-pci,drive={disk.NodeName},id={disk.Id},share-rw=on"]);
        }
        args.AddRange(options.ExtraArgs);
        return args;
    }
}
