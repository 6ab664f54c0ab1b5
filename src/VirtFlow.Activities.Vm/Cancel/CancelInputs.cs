using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Cancel;

/// <summary>vm.cancel's inputs.</summary>
internal sealed record CancelInputs(
    string Host,
    string Vm,
    [property: Input("The mirror jobs to cancel: " + CommonInputs.JobsSource, DefaultJson = "[]")] IReadOnlyList<JobRef> Jobs,
    [property: Input("Also cancel every other job of this workflow instance the host reports (a write-blocking replacement, "
        + "the jobs of a mirror whose reply never came): the rollback of a workflow.", Default = false)] bool IncludeInstanceJobs,
    [property: Input("End READY mirrors at once instead of after a final sync (their targets are then not a consistent copy).", Default = false)] bool Force,
    [property: Input("How long the host waits for the jobs to end.", Default = "60s")] TimeSpan CancelTimeout,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);
