using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Pivot;

/// <summary>vm.pivot's inputs.</summary>
internal sealed record PivotInputs(
    string Host,
    string Vm,
    [property: Input("The mirror jobs to pivot (all READY): " + CommonInputs.JobsSource, Required = true)] IReadOnlyList<JobRef> Jobs,
    [property: Input("How long every job may take to reach pending before the pivot is called off and every job cancelled "
        + "(keep the pivot inside the quiesce lease).", Default = "30s")] TimeSpan PendingTimeout,
    [property: Input("How long the switch itself (finalize of every pending job) may take.", Default = "30s")] TimeSpan FinalizeTimeout,
    [property: Input("Dismiss the concluded jobs and remove the old source nodes once the outcome is stored.", Default = true)] bool Dismiss,
    [property: Input("Hold the guest still for the switch only, on the host, in the same command (released before the host answers): "
        + "auto: fsfreeze through the guest agent, else pause; fsfreeze: the agent only (fails without it); pause: stop the CPUs; "
        + "none: nothing (crash-consistent; the guest may already be quiesced by vm.quiesce).",
        Default = QuiesceModes.None, Enum = [QuiesceModes.Auto, QuiesceModes.FsFreeze, QuiesceModes.Pause, QuiesceModes.None])] string Quiesce,
    [property: Input("The quiesce's lease, the backstop: should the switch outlast it, or the host's worker die mid-way, "
        + "the guest is released when it runs out.", Default = "60s", Positive = true)] TimeSpan Lease,
    [property: Input("How long the guest agent may take to answer (auto falls back to pause after it).", Default = "5s", Positive = true)] TimeSpan AgentTimeout,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);
