using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Hosting.Preflight;

/// <summary>
/// The dry run of a workflow (14.5): checks the inputs and the lock as a start would, and for a VM workflow (inputs
/// <c>host</c>, <c>vm</c>, <c>disks</c> [{device, target, format}], <c>quiesce</c>, as the shipped ones declare) asks
/// the host's worker (<see cref="InspectVm"/>) what the run would meet. Changes and stores nothing; every reason the run
/// would fail becomes one line of <see cref="PreflightPlan.Problems"/>.
/// </summary>
public sealed class VmPreflight(WorkflowEngine engine, TimeProvider time, IVmInspector? inspector = null)
{
    /// <summary>How long the worker has to answer, by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The plan for <paramref name="definition"/> with <paramref name="inputs"/>.</summary>
    public async Task<PreflightPlan> PlanAsync(WorkflowDefinition definition, JsonObject? inputs, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new List<string>();
        var plan = new PreflightPlan { Workflow = definition.Name, Version = definition.Version };
        JsonObject validated;
        try
        {
            validated = engine.ValidateInputs(definition, inputs);
        }
        catch (WorkflowInputException e)
        {
            problems.AddRange(e.Errors.Select(x => Safe(x.Message)));
            validated = inputs ?? new JsonObject();
        }

        try
        {
            if (engine.LockKey(definition, validated, "preflight") is { } key)
            {
                var holder = await engine.FindLockHolderAsync(key, ct).ConfigureAwait(false);
                plan = plan with { LockKey = key, LockHolder = holder };
                if (holder is not null) problems.Add($"lock '{Safe(key)}' is held by instance {holder}: a start now would be refused until it ends");
            }
        }
        catch (WorkflowEngineException e)
        {
            problems.Add(Safe(e.Message));
        }

        var host = Text(validated, "host");
        var vm = Text(validated, "vm");
        var quiesce = Text(validated, "quiesce");
        var disks = Disks(validated);
        plan = plan with { Host = host, Vm = vm, Quiesce = quiesce, Disks = disks };
        if (!definition.Inputs.Any(i => i.Name == "vm"))
            return plan with { Problems = problems };
        if (host is null || vm is null)
            return plan with { Problems = problems };
        if (inspector is null)
        {
            problems.Add($"no bus to ask the worker of host '{Safe(host)}': the VM was not inspected");
            return plan with { Problems = problems };
        }

        var wait = timeout ?? DefaultTimeout;
        var command = new InspectVm
        {
            CommandId = "preflight:" + Guid.NewGuid().ToString("N"),
            HostId = host,
            Vm = vm,
            IssuedAt = time.GetUtcNow(),
            ReplyWithin = wait,
            Targets = [.. disks.Select(d => d.Target)],
            Devices = [.. disks.Select(d => d.Device)],
            CheckGuestAgent = quiesce is "auto" or "fsfreeze",
        };
        var result = await inspector.InspectAsync(command, wait, ct).ConfigureAwait(false);
        if (result is null)
        {
            problems.Add($"the worker of host '{Safe(host)}' did not answer within {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s: is 'virtflow worker --host-id {Safe(host)}' running?");
            return plan with { Problems = problems };
        }
        if (!result.Success)
        {
            problems.Add($"host '{Safe(host)}', VM '{Safe(vm)}': {Safe(result.Error ?? result.ErrorClass ?? "the inspection failed")}");
            return plan with { Problems = problems };
        }
        var inspected = HostResultJson.Read<InspectVmResult>(result);
        if (inspected is null)
        {
            problems.Add($"host '{Safe(host)}' answered the inspection of VM '{Safe(vm)}' without a result");
            return plan with { Problems = problems };
        }
        return Merge(plan, inspected, problems);
    }

    /// <summary>The worker's facts on each disk and target, its problems, and the ones only the plan sees (space, guest agent).</summary>
    private static PreflightPlan Merge(PreflightPlan plan, InspectVmResult inspected, List<string> problems)
    {
        problems.AddRange(inspected.Problems.Select(p => Safe(p)));
        var disks = plan.Disks.Select(d =>
        {
            var disk = inspected.Disks.FirstOrDefault(x => x.Device == d.Device || x.Node == d.Device);
            var target = inspected.Targets.FirstOrDefault(t => t.Path == d.Target);
            var planned = d with
            {
                CurrentFile = disk?.File,
                VirtualSize = disk?.VirtualSize,
                Format = disk?.Format,
                StorageRoot = target?.StorageRoot,
                TargetExists = target?.Exists,
                FreeBytes = target?.FreeBytes,
            };
            var mentioned = problems.Any(p => p.Contains(d.Target, StringComparison.Ordinal));
            if (!mentioned && planned is { FreeBytes: { } free, VirtualSize: { } size } && free < size)
                problems.Add($"target {Safe(d.Target)} of {Safe(d.Device)}: {free:N0} bytes free under {Safe(planned.StorageRoot ?? "its folder")}, the disk needs up to {size:N0}");
            if (!mentioned && planned.TargetExists == true)
                problems.Add($"target {Safe(d.Target)} of {Safe(d.Device)} exists already: the copy would not overwrite it");
            return planned;
        }).ToList();
        if (plan.Quiesce == "fsfreeze" && inspected.GuestAgent is { Answers: false } agent
            && !problems.Any(p => p.Contains("guest agent", StringComparison.OrdinalIgnoreCase)))
            problems.Add($"quiesce fsfreeze: the guest agent of VM '{Safe(plan.Vm ?? "")}' does not answer ({Safe(agent.Error ?? "no answer")})");
        return plan with
        {
            QemuVersion = inspected.QemuVersion,
            RunState = inspected.RunState,
            GuestAgentAnswers = inspected.GuestAgent?.Answers,
            Disks = disks,
            Problems = problems,
        };
    }

    private static List<PlannedDisk> Disks(JsonObject inputs)
    {
        if (inputs["disks"] is not JsonArray array) return [];
        var list = new List<PlannedDisk>();
        foreach (var item in array)
        {
            if (item is not JsonObject disk || Text(disk, "device") is not { } device || Text(disk, "target") is not { } target) continue;
            list.Add(new PlannedDisk { Device = device, Target = target, TargetFormat = Text(disk, "format") ?? "qcow2" });
        }
        return list;
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    private static string Safe(string text) => TerminalText.Safe(text, 300);
}
