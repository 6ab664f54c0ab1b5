using System.Reflection;
using System.Runtime.ExceptionServices;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Activities.Vm.Tests.Support;

/// <summary>
/// A store that "dies" with its engine: the first commit matching the predicate fails, and so does every call
/// after it (the process is gone). What was committed before stays in the real store for the next engine.
/// A proxy, so it follows the store interface as it grows.
/// </summary>
public class DyingStore : DispatchProxy
{
    private IWorkflowStore _inner = null!;
    private Func<InstanceCommit, bool> _dieOn = null!;

    public bool Dead { get; private set; }

    public static IWorkflowStore Wrap(IWorkflowStore inner, Func<InstanceCommit, bool> dieOn, out DyingStore control)
    {
        var proxy = Create<IWorkflowStore, DyingStore>();
        control = (DyingStore)(object)proxy;
        control._inner = inner;
        control._dieOn = dieOn;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name != nameof(IAsyncDisposable.DisposeAsync))
        {
            if (Dead) throw new EngineDiedException();
            if (targetMethod.Name == nameof(IWorkflowStore.CommitAsync) && args?[0] is InstanceCommit commit && _dieOn(commit))
            {
                Dead = true;
                throw new EngineDiedException();
            }
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}

/// <summary>The simulated end of an engine's process.</summary>
public sealed class EngineDiedException() : Exception("the engine's process died (simulated)");
