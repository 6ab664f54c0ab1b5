using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Contracts.Text;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// What an instance's events mean to an operator, shared by every view of <c>run</c>, <c>start --wait</c> and
/// <c>watch</c>: each step by its id (and <c>name:</c>), each disk's phase (copying x%, ready, switching, switched,
/// rolled back) and the quiesce window. Internal detail (what a waiting step's bookmarks are, resumes, branches,
/// skipped steps) only when <c>verbose</c>. Every text from the instance is made safe for a terminal
/// (<see cref="TerminalText.Safe"/>).
/// </summary>
internal sealed class RunViewModel(bool verbose, bool showInstance)
{
    /// <summary>Kinds whose message is shown only with -v.</summary>
    private static readonly HashSet<string> VerboseKinds = new(StringComparer.Ordinal)
    {
        "Resumed", "StimulusIgnored", "BranchChosen", "StepSkipped", "MirrorsAlreadyReady", "JobsFound", "JobsGone", "ChildStarted",
    };

    private readonly Dictionary<string, StepInfo> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunDisk> _disks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    /// <summary>The disks seen so far, in the order they appeared.</summary>
    public IReadOnlyCollection<RunDisk> Disks => _disks.Values;

    /// <summary>The lines <paramref name="e"/> adds (often none); disk states are updated in <see cref="Disks"/>.</summary>
    public IReadOnlyList<RunLine> Apply(LiveEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var lines = new List<RunLine>();
        void Add(string text, RunLineStyle style = RunLineStyle.Plain) => lines.Add(new RunLine(e, Prefix(e) + text, style));
        var key = e.InstanceId + "/" + e.Step;
        switch (e.Kind)
        {
            case "InstanceStarted":
                Add($"instance {Safe(e.InstanceId)} started{(e.Message is { } m ? ": " + Safe(m) : "")}");
                break;
            case "InstanceCompleted" or "InstanceFaulted" or "InstanceCancelled" when showInstance:
                Add($"instance {e.Kind["Instance".Length..].ToLowerInvariant()}{(e.Message is { } f ? ": " + Safe(f, TerminalText.LongMaxLength) : "")}",
                    e.Kind == "InstanceCompleted" ? RunLineStyle.Good : RunLineStyle.Bad);
                break;
            case "StepStarted":
                _steps[key] = new StepInfo(Text(e.Data, "type"), Text(e.Data, "name"));
                _waiting.Remove(key);
                var attempt = Number(e.Data, "attempt") is { } a && a > 1 ? $" (attempt {a})" : "";
                Add($"step {Step(e)} {(Flag(e.Data, "rerun") ? "re-run" : "started")}{attempt}");
                if (Type(e) == "vm.pivot") Phase(e, lines, d => d.Phase is RunDiskPhase.Copying or RunDiskPhase.Ready, RunDiskPhase.Switching);
                break;
            case "StepSuspended":
                if (verbose) Add($"step {Step(e)} waits for {Bookmarks(e)}", RunLineStyle.Waiting);
                else if (_waiting.Add(key)) Add($"step {Step(e)} waits", RunLineStyle.Waiting);
                break;
            case "StepCompleted":
                _waiting.Remove(key);
                Add($"step {Step(e)} completed", RunLineStyle.Good);
                if (Type(e) == "vm.waitReady") Phase(e, lines, d => d.Phase == RunDiskPhase.Copying, RunDiskPhase.Ready);
                if (Type(e) == "vm.pivot" && e.Data?["outputs"] is JsonObject outputs) Switched(e, outputs, lines);
                break;
            case "StepFaulted":
                _waiting.Remove(key);
                Add($"step {Step(e)} faulted: {Safe(e.Message, TerminalText.LongMaxLength)}", RunLineStyle.Bad);
                break;
            case "StepCancelled":
                _waiting.Remove(key);
                Add($"step {Step(e)} cancelled", RunLineStyle.Bad);
                break;
            case "Progress":
                Progress(e, lines);
                break;
            case "MirrorReady":
                Add(Safe(e.Message));
                Phase(e, lines, d => d.Phase == RunDiskPhase.Copying && d.Percent == 100, RunDiskPhase.Ready);
                break;
            case "Pivoted":
                if (e.Data is JsonObject outcome) Switched(e, outcome, lines);
                else Add(Safe(e.Message));
                break;
            case "MirrorsCancelled":
                Add(Safe(e.Message), RunLineStyle.Bad);
                var devices = (e.Data as JsonArray)?.OfType<JsonObject>().Select(j => Text(j, "device")).OfType<string>().ToHashSet(StringComparer.Ordinal);
                Phase(e, lines, d => d.Phase != RunDiskPhase.Switched && (devices is null || devices.Count == 0 || devices.Contains(d.Device)), RunDiskPhase.RolledBack);
                break;
            default:
                if (!VerboseKinds.Contains(e.Kind) || verbose)
                {
                    if (e.Message is { } message) Add(Safe(message, TerminalText.LongMaxLength), e.Kind.Contains("Problem", StringComparison.Ordinal) || e.Kind.Contains("Refused", StringComparison.Ordinal) ? RunLineStyle.Bad : RunLineStyle.Plain);
                }
                break;
        }
        return lines;
    }

    private void Progress(LiveEvent e, List<RunLine> lines)
    {
        if (e.Data is not JsonObject data) return;
        var device = Text(data, "device") ?? Text(data, "disk") ?? Text(data, "jobId") ?? e.StepId ?? "?";
        var disk = Disk(e.InstanceId, device);
        disk.Offset = Number(data, "offset") ?? Number(data, "current") ?? disk.Offset;
        disk.Length = Number(data, "length") ?? Number(data, "total") ?? disk.Length;
        if (disk.Phase is RunDiskPhase.Switched or RunDiskPhase.RolledBack or RunDiskPhase.Switching) return;
        if (disk.Phase == RunDiskPhase.None) disk.Phase = RunDiskPhase.Copying;
        lines.Add(new RunLine(e, Prefix(e) + $"disk {Safe(disk.Device)} {disk.PhaseText}", RunLineStyle.Progress, disk));
    }

    /// <summary>Every disk of the instance that <paramref name="which"/> picks moves to <paramref name="phase"/>, with a line each.</summary>
    private void Phase(LiveEvent e, List<RunLine> lines, Func<RunDisk, bool> which, RunDiskPhase phase)
    {
        foreach (var disk in _disks.Values.Where(d => d.InstanceId == e.InstanceId && d.Phase != phase && which(d)).ToList())
        {
            disk.Phase = phase;
            if (phase is RunDiskPhase.Ready or RunDiskPhase.Switched && disk.Length > 0) disk.Offset = disk.Length;
            lines.Add(new RunLine(e, Prefix(e) + $"disk {Safe(disk.Device)} {disk.PhaseText}", phase == RunDiskPhase.RolledBack ? RunLineStyle.Bad : RunLineStyle.Plain, disk));
        }
    }

    /// <summary>The switch's outcome (the <c>Pivoted</c> line or vm.pivot's outputs): each disk switched, then the quiesce window.</summary>
    private void Switched(LiveEvent e, JsonObject outcome, List<RunLine> lines)
    {
        var pivoted = (outcome["pivoted"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var job in pivoted)
        {
            if (Text(job, "device") is not { } device) continue;
            var disk = Disk(e.InstanceId, device);
            if (disk.Phase == RunDiskPhase.Switched) continue;
            disk.Phase = RunDiskPhase.Switched;
            disk.Target = Text(job, "target");
            if (disk.Length > 0) disk.Offset = disk.Length;
            lines.Add(new RunLine(e, Prefix(e) + $"disk {Safe(device)} switched{(disk.Target is { } t ? " to " + Safe(t) : "")}", RunLineStyle.Good, disk));
        }
        var window = Window(outcome);
        if (window is not null && _windows.Add(e.InstanceId + "/" + e.Step)) lines.Add(new RunLine(e, Prefix(e) + window, RunLineStyle.Plain));
    }

    private readonly HashSet<string> _windows = new(StringComparer.Ordinal);

    /// <summary>"quiesce window: guest held by fsfreeze for 120 ms (switch 80 ms)"</summary>
    private static string? Window(JsonObject outcome)
    {
        var switchMs = Decimal(outcome, "windowMs");
        var heldMs = Decimal(outcome, "quiescedMs");
        var method = Text(outcome, "quiesceMethod");
        if (switchMs is null && heldMs is null) return null;
        var held = heldMs is { } h
            ? (method is null or "none" ? $"guest not held; switch took {Ms(h)}" : $"guest held by {Safe(method)} for {Ms(h)}")
            : "guest not held";
        return $"quiesce window: {held}{(switchMs is { } s && (heldMs is null || method is not (null or "none")) ? $" (switch {Ms(s)})" : "")}";
    }

    private RunDisk Disk(string instanceId, string device)
    {
        var key = instanceId + "/" + device;
        if (!_disks.TryGetValue(key, out var disk)) _disks[key] = disk = new RunDisk(instanceId, device);
        return disk;
    }

    private string Step(LiveEvent e)
    {
        var id = Safe(e.StepId ?? "?");
        return _steps.TryGetValue(e.InstanceId + "/" + e.Step, out var info) && info.Name is { Length: > 0 } name ? $"{id} ({Safe(name)})" : id;
    }

    private string? Type(LiveEvent e) => _steps.TryGetValue(e.InstanceId + "/" + e.Step, out var info) ? info.Type : null;

    private static string Bookmarks(LiveEvent e) =>
        e.Data?["bookmarks"] is JsonArray array
            ? string.Join(", ", array.OfType<JsonObject>().Select(b => Safe(Text(b, "name"))))
            : Safe(e.Message);

    private string Prefix(LiveEvent e) => showInstance ? Safe(e.InstanceId.Length > 8 ? e.InstanceId[..8] : e.InstanceId) + " " : "";

    private static string Ms(decimal ms) => ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    internal static string Safe(string? text, int maxLength = TerminalText.DefaultMaxLength) => TerminalText.Safe(text, maxLength);

    private static string? Text(JsonNode? data, string name) =>
        data is JsonObject o && o[name] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;

    private static bool Flag(JsonNode? data, string name) =>
        data is JsonObject o && o[name] is JsonValue v && v.TryGetValue(out bool b) && b;

    private static long? Number(JsonNode? data, string name) => Decimal(data, name) is { } d ? (long)d : null;

    private static decimal? Decimal(JsonNode? data, string name)
    {
        if (data is not JsonObject o || o[name] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.Number) return null;
        return decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private sealed record StepInfo(string? Type, string? Name);
}
