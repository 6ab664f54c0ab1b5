using VirtFlow.Activities.Vm.Core;
using VirtFlow.Contracts;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Quiesce;

/// <summary>vm.quiesce's inputs.</summary>
internal sealed record QuiesceInputs(
    string Host,
    string Vm,
    [property: Input("auto: fsfreeze through the guest agent, else pause; fsfreeze: the agent only (fails without it); pause: stop the CPUs; none: nothing (crash-consistent).",
        Default = QuiesceModes.Auto, Enum = [QuiesceModes.Auto, QuiesceModes.FsFreeze, QuiesceModes.Pause, QuiesceModes.None])] string Mode,
    [property: Input("How long the quiesce holds without a renewal before the worker undoes it.", Default = "60s", Positive = true)] TimeSpan Lease,
    [property: Input("How long the guest agent may take to answer (auto falls back to pause after it).", Default = "5s")] TimeSpan AgentTimeout,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);

/// <summary>vm.unquiesce's (and vm.thaw's) inputs.</summary>
internal sealed record UnquiesceInputs(
    string Host,
    string Vm,
    [property: Input("The leaseId output of vm.quiesce; without it the worker undoes whatever quiesce the VM is under.")] string? LeaseId,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);
