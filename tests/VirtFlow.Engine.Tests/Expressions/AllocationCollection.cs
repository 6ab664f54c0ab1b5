namespace VirtFlow.Engine.Tests.Expressions;

/// <summary>
/// Tests that count the process's allocations (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) around one evaluation:
/// they run alone, after the parallel ones, since any test running beside them allocates into the same count (CI saw a
/// 228 MB "evaluation" that was mostly other tests' garbage).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "counts the process's allocations";
}
