using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// The QMP connection: connect, serve until it drops, report the VM gone, back off, reconnect.
internal sealed partial class VmSession
{
    private async Task ConnectionLoopAsync(CancellationToken stop)
    {
        var delay = _options.ReconnectMinDelay;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            QmpClient client;
            try
            {
                client = await QmpClient.ConnectAsync(Vm.QmpSocket, _options.QmpClientOptions(_logger), stop).ConfigureAwait(false);
            }
            catch (QmpException e)
            {
                _lastConnectError = e.Message;
                if (NotServed(e)) _unreachable.TrySetResult(e.Description);
                if (failures++ == 0) Log.ConnectFailed(_logger, Name, Vm.QmpSocket, e.Message);
                if (!await DelayAsync(delay, stop).ConfigureAwait(false)) return;
                delay = delay * 2 < _options.ReconnectMaxDelay ? delay * 2 : _options.ReconnectMaxDelay;
                continue;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            failures = 0;
            delay = _options.ReconnectMinDelay;
            _lastConnectError = null;
            string reason;
            await using (client.ConfigureAwait(false))
            {
                await ServeAsync(client, stop).ConfigureAwait(false);
                reason = client.DisconnectReason?.Description ?? "disconnected";
            }
            if (stop.IsCancellationRequested) return;
            _lastConnectError = reason;
            Log.VmGone(_logger, Name, reason);
            Post(_events.Gone(Name, reason));
            if (!await DelayAsync(delay, stop).ConfigureAwait(false)) return;
        }
    }

    /// <summary>Publishes what QEMU has, then forwards its job events until the connection ends.</summary>
    private async Task ServeAsync(QmpClient client, CancellationToken stop)
    {
        Log.VmConnected(_logger, Name, Vm.QmpSocket, client.Greeting.Version.ToString());
        _everConnected = true;
        lock (_clientGate)
        {
            _client = client;
            _connected.TrySetResult(client);
        }
        try
        {
            while (client.State == QmpClientState.Running && !stop.IsCancellationRequested)
            {
                // Listen first, then read the state: an event in between is reported twice (same id), never missed.
                using var subscription = client.Subscribe(IsJobEvent, capacity: 8192);
                try
                {
                    await PublishSnapshotAsync(client, stop).ConfigureAwait(false);
                    await ForwardAsync(client, subscription, stop).ConfigureAwait(false);
                }
                catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.EventsLost)
                {
                    Log.EventsLost(_logger, Name);
                }
                catch (QmpException e) when (client.State == QmpClientState.Running && e.ErrorClass != QmpErrorClasses.Disconnected)
                {
                    // A query of the snapshot or of an event's detail failed: report everything again after a pause.
                    Log.ForwardingFailed(_logger, Name, e);
                    if (!await DelayAsync(_options.ReconnectMaxDelay, stop).ConfigureAwait(false)) return;
                }
            }
        }
        catch (QmpException e) when (client.State == QmpClientState.Disconnected || e.ErrorClass == QmpErrorClasses.Disconnected)
        {
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug here must not end the VM's connection loop: drop this connection, reconnect, report again.
            Log.ForwardingFailed(_logger, Name, e);
        }
        finally
        {
            lock (_clientGate)
            {
                _client = null;
                if (_connected.Task.IsCompleted) _connected = NewConnectedSource();
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The socket is missing (ENOENT) or nothing listens on it (ECONNREFUSED): QEMU does not serve it, so commands for a VM
    /// never reached fail at once. A monitor another client holds (EAGAIN, a silent greeting: a standby worker waits for
    /// it) is not that.
    /// </summary>
    private static bool NotServed(QmpException e) =>
        e.ErrorClass == QmpErrorClasses.ConnectFailed
        && e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressNotAvailable or System.Net.Sockets.SocketError.ConnectionRefused };

    private static bool IsJobEvent(QmpEvent e) =>
        e.Name is "JOB_STATUS_CHANGE" or "BLOCK_JOB_READY" or "BLOCK_JOB_COMPLETED" or "BLOCK_JOB_CANCELLED" or "BLOCK_JOB_ERROR";
}
