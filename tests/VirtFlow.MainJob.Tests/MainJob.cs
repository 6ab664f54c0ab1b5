using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.MainJob.Tests;

/// <summary>Runs the shipped workflows (workflows/*.yaml) in an <see cref="EmbeddedVirtFlow"/>.</summary>
internal static class MainJob
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public static Task<EmbeddedVirtFlow> StartHostAsync(params VmSpec[] vms) => StartHostAsync(null, vms);

    /// <summary>An embedded engine and worker serving <paramref name="vms"/>, its worker limited to <paramref name="storageRoot"/> when given.</summary>
    public static Task<EmbeddedVirtFlow> StartHostAsync(string? storageRoot, params VmSpec[] vms)
    {
        var options = new EmbeddedVirtFlowOptions { StoreSpec = "sqlite:" + Path.Combine(TestDirs.Create("mainjob"), "virtflow.db") };
        foreach (var vm in vms) options.Vms.Add(vm);
        if (storageRoot is not null) options.StorageRoots.Add(storageRoot);
        return EmbeddedVirtFlow.StartAsync(options);
    }

    /// <summary>Loads workflows/NAME.yaml, validated against the host's activities.</summary>
    public static WorkflowDefinition Load(EmbeddedVirtFlow host, string name)
    {
        var file = Path.Combine(TestDirs.RepoRoot, "workflows", name + ".yaml");
        var parsed = WorkflowParser.Parse(File.ReadAllText(file), file);
        var errors = WorkflowValidator.Validate(parsed, host.Activities).Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 0 && parsed.Definition is not null, $"{name}.yaml is invalid: " + string.Join("; ", errors));
        host.Definitions.Add(parsed.Definition!);
        return parsed.Definition!;
    }

    public static async Task<WorkflowInstance> RunAsync(EmbeddedVirtFlow host, string workflow, JsonObject inputs)
    {
        var id = await host.Engine.StartAsync(Load(host, workflow), inputs);
        using var cts = new CancellationTokenSource(RunTimeout);
        return await host.Engine.WaitForCompletionAsync(id, cts.Token);
    }

    public static JsonObject Inputs(string vm, string quiesce, params (string Device, string Target, string Format)[] disks) => new()
    {
        ["vm"] = vm,
        ["quiesce"] = quiesce,
        ["disks"] = new JsonArray(disks.Select(d => (JsonNode)new JsonObject { ["device"] = d.Device, ["target"] = d.Target, ["format"] = d.Format }).ToArray()),
    };

    /// <summary>The image file device <paramref name="device"/> uses now.</summary>
    public static async Task<string?> FileOfAsync(QmpClient qmp, string device) =>
        (await qmp.QueryBlockAsync()).FirstOrDefault(b => b.Qdev?.Contains($"/{device}/", StringComparison.Ordinal) == true || b.Qdev == device)?.Inserted?.File;

    public static string Details(WorkflowInstance instance) =>
        $"status {instance.Status}, fault: {instance.Fault}, output: {instance.Output?.ToJsonString()}";
}

/// <summary>
/// Guest-like writes through the devices (the test's own monitor) until the VM stops (a quiesce pause: a real guest
/// cannot write while its CPUs are stopped). Records the last pattern written at each (device, slot).
/// </summary>
internal sealed class GuestWriter : IAsyncDisposable
{
    public const long Slot = 64 << 10;
    private readonly QemuVm _vm;
    private readonly string[] _devices;
    private readonly long _baseOffset;
    private readonly int _slots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;
    private readonly QmpEventSubscription _stopped;
    private readonly QmpEventSubscription _ready;

    public GuestWriter(QemuVm vm, string[] devices, long baseOffset, int slots = 16)
    {
        _vm = vm;
        _devices = devices;
        _baseOffset = baseOffset;
        _slots = slots;
        _stopped = vm.Monitor.Subscribe(e => e.Name == "STOP");
        _ready = vm.Monitor.Subscribe(e => e.Name == "BLOCK_JOB_READY");
        _task = Task.Run(LoopAsync);
    }

    /// <summary>(device, offset) → the last pattern written there.</summary>
    public Dictionary<(string Device, long Offset), byte> Last { get; } = [];

    public int Count { get; private set; }

    /// <summary>Writes completed after a mirror of the VM reported READY (and before the VM stopped).</summary>
    public int WhileReady { get; private set; }

    public long Offset(int slot) => _baseOffset + slot * Slot;

    private async Task LoopAsync()
    {
        var n = 0;
        while (!_stop.IsCancellationRequested && !_stopped.Reader.TryPeek(out _))
        {
            var dev = _devices[n % _devices.Length];
            var offset = Offset(n / _devices.Length % _slots);
            var pattern = (byte)(0x40 + n % 0x80);
            var ready = _ready.Reader.TryPeek(out _);
            await _vm.GuestWriteAsync(dev, pattern, offset, Slot);
            Last[(dev, offset)] = pattern;
            if (ready) WhileReady++;
            Count++;
            n++;
            await Task.Delay(10);
        }
    }

    /// <summary>Stops writing; returns once the last write is done.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _task; } catch (Exception) { /* reported by StopAsync */ }
        _stopped.Dispose();
        _ready.Dispose();
        _stop.Dispose();
    }
}
