using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.WaitReady;

/// <summary>vm.waitReady's inputs.</summary>
internal sealed record WaitReadyInputs(
    string Host,
    string Vm,
    [property: Input("The mirror jobs to wait for: " + CommonInputs.JobsSource, Required = true)] IReadOnlyList<JobRef> Jobs,
    [property: Input("How long all the jobs may take to become READY.", Default = "1h")] TimeSpan Timeout,
    [property: Input("The stall detector: { window: how long the remaining bytes may go without shrinking (default 60s), "
        + "action: fail | writeBlocking (default fail) }.", DefaultJson = """{ "window": "60s", "action": "fail" }""")]
    StallInputs Stall,
    [property: Input("Ask the host for the jobs' state when the wait begins (counts jobs already READY, notices jobs that are gone).", Default = true)] bool Query,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);

/// <summary>vm.waitReady's <c>stall</c>: the stall detector.</summary>
internal sealed record StallInputs(
    [property: Input("How long the remaining bytes may go without shrinking.", Default = "60s", Positive = true)] TimeSpan Window,
    [property: Input("What a stall does: fail, or restart the mirror in write-blocking mode.", Default = "fail")] StallAction Action);

/// <summary>What the stall detector does with a mirror that does not converge.</summary>
internal enum StallAction
{
    /// <summary>The step faults (NotConverging).</summary>
    Fail,

    /// <summary>The mirror is restarted in write-blocking mode.</summary>
    WriteBlocking,
}
