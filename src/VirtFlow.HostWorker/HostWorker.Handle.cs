using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// Commands in: idempotency by command id, dispatch, errors to results, results out.
public sealed partial class HostWorker
{
    /// <summary>
    /// Runs <paramref name="command"/> and publishes its <see cref="CommandResult"/> to the sink (also returned).
    /// A command id seen before gets the first result again (the work is not repeated), also while it still runs.
    /// Failures are results (<see cref="CommandResult.ErrorClass"/>), never exceptions; only a failing sink and
    /// cancellation by <paramref name="ct"/> throw (a cancelled execution is forgotten, so a retry runs it again), and,
    /// with <see cref="HostWorkerOptions.RequeueWhenStopping"/>, a command the stopping worker did not run to its end
    /// (<see cref="HostWorkerStoppingException"/>, nothing published: the next worker runs it).
    /// </summary>
    public async Task<CommandResult> HandleAsync(HostCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrEmpty(command.CommandId);
        var type = command.GetType().Name;
        Log.CommandReceived(_logger, type, command.CommandId, command.Vm);
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
            Log.CommandRepeated(_logger, type, command.CommandId, command.Vm);
        }
        var result = await task.WaitAsync(ct).ConfigureAwait(false);
        await _sink.PublishAsync(result, ct).ConfigureAwait(false);
        return result;
    }

    private async Task<CommandResult> ExecuteAsync(HostCommand command, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var type = command.GetType().Name;
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            if (command.HostId != HostId)
                throw new HostCommandException(HostErrorClasses.WrongHost, $"{type} {command.CommandId} is for host {command.HostId}; this worker serves {HostId}");
            if (command.Vm is null || !_sessions.TryGetValue(command.Vm, out var session))
                throw new HostCommandException(HostErrorClasses.UnknownVm, $"host {HostId} has no VM {command.Vm} (it serves {string.Join(", ", _sessions.Keys)})");
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
            var json = await DispatchAsync(session, command, linked.Token).ConfigureAwait(false);
            Log.CommandSucceeded(_logger, type, command.CommandId, command.Vm, _time.GetElapsedTime(started).TotalMilliseconds);
            return _events.Result(command, true, null, null, json);
        }
        catch (HostCommandException e)
        {
            return Failure(command, e.ErrorClass, e.Message, e.ResultJson);
        }
        catch (QmpException e)
        {
            return Failure(command, e.ErrorClass, $"VM {command.Vm}: {type}: {e.Message}", null);
        }
        catch (ObjectDisposedException e) when (Volatile.Read(ref _disposed) == 1)
        {
            return Stopping(command, $"VM {command.Vm}: {type}: the worker of host {HostId} is stopping", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested && _stopping.IsCancellationRequested)
        {
            return Stopping(command, $"VM {command.Vm}: {type}: the worker of host {HostId} stopped during the command", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CommandCrashed(_logger, type, command.CommandId, command.Vm, e);
            return Failure(command, "InternalError", $"VM {command.Vm}: {type}: {e.GetType().Name}: {e.Message}", null);
        }
    }

    private Task<string?> DispatchAsync(VmSession session, HostCommand command, CancellationToken ct) => command switch
    {
        MirrorDisks c => MirrorAsync(session, c, ct),
        PivotJobs c => PivotAsync(session, c, ct),
        CompleteJobs c => CompleteAsync(session, c, ct),
        FinalizeJobs c => FinalizeAsync(session, c, ct),
        CancelJobs c => CancelAsync(session, c, ct),
        DismissJobs c => DismissAsync(session, c, ct),
        QuiesceVm c => QuiesceAsync(session, c, ct),
        UnquiesceVm c => UnquiesceAsync(session, c, ct),
        RenewQuiesceLease c => RenewAsync(session, c, ct),
        PauseVm => PauseAsync(session, ct),
        ResumeVm => ResumeAsync(session, ct),
        QueryVm => QueryAsync(session, ct),
        RawQmp c => RawAsync(session, c, ct),
        _ => throw new HostCommandException(HostErrorClasses.BadRequest, $"VM {command.Vm}: unknown command type {command.GetType().FullName}"),
    };

    private CommandResult Failure(HostCommand command, string errorClass, string error, string? json)
    {
        Log.CommandFailed(_logger, command.GetType().Name, command.CommandId, command.Vm, errorClass, error);
        return _events.Result(command, false, errorClass, error, json);
    }

    /// <summary>
    /// A command the stopping worker did not run to its end: a <see cref="HostErrorClasses.WorkerStopping"/> result, or, with
    /// <see cref="HostWorkerOptions.RequeueWhenStopping"/>, <see cref="HostWorkerStoppingException"/> (back to the queue).
    /// </summary>
    private CommandResult Stopping(HostCommand command, string error, Exception cause)
    {
        if (!_options.RequeueWhenStopping) return Failure(command, HostErrorClasses.WorkerStopping, error, null);
        Log.CommandRequeued(_logger, command.GetType().Name, command.CommandId, command.Vm);
        throw new HostWorkerStoppingException(error, cause);
    }

    private static HostCommandException BadRequest(string message) => new(HostErrorClasses.BadRequest, message);

    /// <summary>The job ids of a command: at least one, no duplicates.</summary>
    private static List<string> JobIds(VmSession session, string command, IReadOnlyList<string>? ids)
    {
        if (ids is null || ids.Count == 0) throw BadRequest($"VM {session.Name}: {command} names no job");
        var list = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (string.IsNullOrWhiteSpace(id)) throw BadRequest($"VM {session.Name}: {command} has an empty job id");
            if (list.Contains(id)) throw BadRequest($"VM {session.Name}: {command} names job {id} twice");
            list.Add(id);
        }
        return list;
    }
}
