using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VirtFlow.Distributed.Tests;

/// <summary>
/// <c>lock:</c> through <c>virtflow server</c> and <c>virtflow start</c>: a second start on a VM whose instance runs is
/// rejected, naming that instance; the server is then killed (SIGKILL) in the middle of the holder's step, restarted, it
/// recovers the orphan, the orphan ends, and the VM can be started again: nothing stays locked.
/// </summary>
public sealed class When_a_locked_vm_is_started_twice(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    private const string Workflow = "locked-call";

    /// <summary>Holds its VM while a call to the test's endpoint is in flight (the first call is never answered).</summary>
    private const string Yaml = """
        name: locked-call
        lock: "vm:${ inputs.host }/${ inputs.vm }"
        inputs:
          host: { type: string, required: true }
          vm: { type: string, required: true }
          url: { type: string, required: true }
        steps:
          - { id: call, type: http, with: { url: "${ inputs.url }", timeout: 5m } }
        """;

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_second_start_is_refused_naming_the_first_and_after_a_server_crash_the_lock_is_released(string store)
    {
        await using var cluster = await ClusterAsync(store);
        await File.WriteAllTextAsync(Path.Combine(cluster.WorkflowsDir, Workflow + ".yaml"), Yaml);
        using var endpoint = new FirstCallHangs();
        var server = await cluster.StartServerAsync();
        var host = cluster.Host("hv");
        var inputs = new JsonObject { ["host"] = host, ["vm"] = "web1", ["url"] = endpoint.Url };

        var first = await cluster.StartAsync(Workflow, inputs);
        await endpoint.FirstCall.WaitAsync(Cluster.Finish);
        Assert.Equal(InstanceStatus.Running, (await cluster.Db.GetInstanceAsync(first))!.Status);

        var (code, final, refused) = await cluster.StartAndWaitAsync(Workflow, inputs);
        Assert.True(code == 2, refused.ToString());
        Assert.Equal("rejected", final!["status"]!.GetValue<string>());
        Assert.Contains($"lock 'vm:{host}/web1' is held by instance {first}", final["fault"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"virtflow start: the server did not start it: workflow 'locked-call': lock 'vm:{host}/web1' is held by instance {first}", refused.Stderr, StringComparison.Ordinal);
        Assert.Null(await cluster.Db.GetInstanceAsync(final["id"]!.GetValue<string>()));

        // The server dies inside the holder's call; the restarted one finds the orphan once its lease ran out, calls again
        // (answered now), the instance completes and the key is free.
        server.Kill();
        await cluster.StartServerAsync();
        var ended = await cluster.WaitForEndAsync(first);
        Assert.True(ended.Status == InstanceStatus.Completed, await cluster.DescribeAsync(first));
        Assert.Contains(await cluster.JournalAsync(first), j => j.Kind == "RecoveredAfterCrash");
        Assert.Null(await ((IInstanceLockStore)cluster.Db).FindLockHolderAsync($"vm:{host}/web1"));

        var (again, done, process) = await cluster.StartAndWaitAsync(Workflow, inputs);
        Assert.True(again == 0, process.ToString());
        Assert.Equal("completed", done!["status"]!.GetValue<string>());
    }

    /// <summary>A tiny HTTP endpoint on loopback: the first request is read and never answered, every later one gets 200 <c>{}</c>.</summary>
    private sealed class FirstCallHangs : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<TcpClient> _held = [];
        private readonly CancellationTokenSource _stop = new();

        public FirstCallHangs()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/call";

        public Task FirstCall => _first.Task;

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = Task.Run(() => ServeAsync(client));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // stopped
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            lock (_held)
            {
                if (!_first.Task.IsCompleted)
                {
                    _held.Add(client);
                    _first.SetResult();
                    return;
                }
            }
            var answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray();
            await stream.WriteAsync(answer, _stop.Token);
            client.Dispose();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                foreach (var c in _held) c.Dispose();
            }
            _stop.Dispose();
        }
    }
}
