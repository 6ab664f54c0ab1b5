using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Testing;

/// <summary>
/// What the in-process engine hosts of the tests share (the engine tests' <c>TestHost</c>, the VM activities' <c>VmHost</c>):
/// a store opened by <see cref="EngineTestStore"/> and closed with the host, the definitions registry on it, one Jint
/// evaluator for all, and the reads every test makes. Each host builds its own engine (activities, transport, clock).
/// </summary>
public abstract class EngineTestHost : IAsyncDisposable
{
    /// <summary>The real evaluator, one for every host (it holds no state of a run).</summary>
    protected static readonly JintExpressionEvaluator Evaluator = new();

    private readonly EngineTestStore _opened;

    protected EngineTestHost(EngineTestStore opened)
    {
        _opened = opened;
        Definitions = new WorkflowDefinitionRegistry(opened.Store);
    }

    public abstract WorkflowEngine Engine { get; }

    public IWorkflowStore Store => _opened.Store;

    public WorkflowDefinitionRegistry Definitions { get; }

    public async Task<WorkflowInstance> InstanceAsync(string id) => (await Engine.GetInstanceAsync(id))!;

    public async Task<IReadOnlyList<JournalEntry>> JournalAsync(string id) => await Engine.GetJournalAsync(id);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _opened.DisposeAsync();
    }
}
