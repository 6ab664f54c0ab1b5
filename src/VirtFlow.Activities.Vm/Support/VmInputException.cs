using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Support;

/// <summary>An input of a VM activity has a wrong value: the step faults with this message (code <c>InvalidInput</c>).</summary>
internal sealed class VmInputException(string message) : ActivityInputException(message);
