using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>The inputs of an activity about one VM (vm.pause's, vm.resume's and vm.query's whole input record).</summary>
internal record VmInputs(
    string Host,
    [property: Input("The VM's name as the host's worker knows it.", Required = true)] string Vm,
    TimeSpan CommandTimeout) : HostInputs(Host, CommandTimeout);
