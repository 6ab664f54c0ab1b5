using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>The inputs every VM activity has: the host, and how long its answer to each command may take (vm.list's whole input record).</summary>
internal record HostInputs(
    [property: Input("The host (hypervisor) whose worker runs the VM.", Default = "local")] string Host,
    [property: Input("How long to wait for the host's answer to each command; a host no worker serves faults after it.", Default = "2m")] TimeSpan CommandTimeout);
