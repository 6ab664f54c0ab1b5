using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// Commands in: idempotency by command id, the VM's session, the command's handler, errors to results, results out.
/// </summary>
internal sealed class CommandRunner(WorkerContext context, IReadOnlyDictionary<string, VmSession> sessions, IHostEventSink sink,
    HandlerTable handlers, Func<bool> disposed)
{
    private readonly CommandResultCache _results = new(context.Options.ResultCacheCapacity);

    /// <summary>See <see cref="HostWorker.HandleAsync"/>.</summary>
    public async Task<CommandResult> HandleAsync(HostCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrEmpty(command.CommandId);
        var type = command.GetType().Name;
        Log.CommandReceived(context.Logger, type, command.CommandId, command.Vm);
        var execution = new TaskCompletionSource<CommandResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _results.GetOrAdd(command.CommandId, execution.Task, out var first);
        if (first)
        {
            try
            {
                execution.SetResult(await ExecuteAsync(command, ct).ConfigureAwait(false));
            }
            catch (OperationCanceledException e)
            {
                _results.Remove(command.CommandId, task);
                execution.SetCanceled(e.CancellationToken);
                throw;
            }
            catch (HostWorkerStoppingException e)
            {
                _results.Remove(command.CommandId, task);
                execution.SetException(e);
                throw;
            }
        }
        else
        {
            Log.CommandRepeated(context.Logger, type, command.CommandId, command.Vm);
        }
        var result = await task.WaitAsync(ct).ConfigureAwait(false);
        await sink.PublishAsync(result, ct).ConfigureAwait(false);
        return result;
    }

    private async Task<CommandResult> ExecuteAsync(HostCommand command, CancellationToken ct)
    {
        var time = context.Time;
        var started = time.GetTimestamp();
        var type = command.GetType().Name;
        var hostId = context.HostId;
        try
        {
            ObjectDisposedException.ThrowIf(disposed(), typeof(HostWorker));
            if (command.HostId != hostId)
                throw new HostCommandException(HostErrorClasses.WrongHost, $"{type} {command.CommandId} is for host {command.HostId}; this worker serves {hostId}");
            var handler = handlers.For(command.GetType())
                ?? throw new HostCommandException(HostErrorClasses.BadRequest, $"VM {command.Vm}: unknown command type {command.GetType().FullName}");
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, context.Stopping);
            string? json;
            if (handler is IHostLevelHandler hostLevel)
            {
                json = await hostLevel.HandleHostAsync(sessions, command, linked.Token).ConfigureAwait(false);
            }
            else
            {
                if (command.Vm is null || !sessions.TryGetValue(command.Vm, out var session))
                    throw new HostCommandException(HostErrorClasses.UnknownVm, $"host {hostId} has no VM {command.Vm} (it serves {string.Join(", ", sessions.Keys)})");
                json = await handler.HandleAsync(session, command, linked.Token).ConfigureAwait(false);
            }
            Log.CommandSucceeded(context.Logger, type, command.CommandId, command.Vm, time.GetElapsedTime(started).TotalMilliseconds);
            return context.Events.Result(command, true, null, null, json);
        }
        catch (HostCommandException e)
        {
            return Failure(command, e.ErrorClass, e.Message, e.ResultJson);
        }
        catch (QmpException e)
        {
            return Failure(command, e.ErrorClass, $"VM {command.Vm}: {type}: {e.Message}", null);
        }
        catch (ObjectDisposedException e) when (disposed())
        {
            return Stopping(command, $"VM {command.Vm}: {type}: the worker of host {hostId} is stopping", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested && context.Stopping.IsCancellationRequested)
        {
            return Stopping(command, $"VM {command.Vm}: {type}: the worker of host {hostId} stopped during the command", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CommandCrashed(context.Logger, type, command.CommandId, command.Vm, e);
            return Failure(command, "InternalError", $"VM {command.Vm}: {type}: {e.GetType().Name}: {e.Message}", null);
        }
    }

    private CommandResult Failure(HostCommand command, string errorClass, string error, string? json)
    {
        Log.CommandFailed(context.Logger, command.GetType().Name, command.CommandId, command.Vm, errorClass, error);
        return context.Events.Result(command, false, errorClass, error, json);
    }

    /// <summary>
    /// A command the stopping worker did not run to its end: a <see cref="HostErrorClasses.WorkerStopping"/> result, or, with
    /// <see cref="HostWorkerOptions.RequeueWhenStopping"/>, <see cref="HostWorkerStoppingException"/> (back to the queue).
    /// </summary>
    private CommandResult Stopping(HostCommand command, string error, Exception cause)
    {
        if (!context.Options.RequeueWhenStopping) return Failure(command, HostErrorClasses.WorkerStopping, error, null);
        Log.CommandRequeued(context.Logger, command.GetType().Name, command.CommandId, command.Vm);
        throw new HostWorkerStoppingException(error, cause);
    }
}
