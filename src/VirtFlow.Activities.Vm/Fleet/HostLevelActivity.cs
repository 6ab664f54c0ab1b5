using VirtFlow.Activities.Vm.Commands;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Fleet;

/// <summary>
/// An activity whose command is about the host, not one VM (<c>vm.createFolder</c>, <c>vm.pruneCopies</c>): its optional
/// <c>vm</c> input only names the VM in the worker's logs and errors (<c>*</c> when not given).
/// </summary>
public abstract class HostLevelActivity : CommandActivity
{
    /// <summary>The optional <c>vm</c> input (its input record's <see cref="INamesVm.Vm"/>; <c>*</c> by default).</summary>
    protected override string VmOf(ActivityContext context) => In<HostInputs>(context) is INamesVm { Vm: { Length: > 0 } vm } ? vm : "*";
}

/// <summary>The input record of a host-level activity: its optional <c>vm</c> only names the VM in logs and errors.</summary>
internal interface INamesVm
{
    string Vm { get; }
}
