using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace VirtFlow.Testing;

/// <summary>
/// A throwaway RabbitMQ node for a test run: its own node name, AMQP, distribution and epmd ports, mnesia and log
/// folders under <see cref="TestDirs.Root"/> (owned by <c>rabbitmq</c>, as Debian's wrapper re-runs itself as that
/// user), no plugins. <see cref="Stop"/> and <see cref="Start"/> let a test take the broker away and bring it back
/// (queues survive: same mnesia folder and ports). Shut down on dispose and on process exit, with its private epmd;
/// a node left by a killed test host is shut down by the next <see cref="StartAsync()"/>. With <c>VIRTFLOW_RABBITMQ</c>
/// set (an amqp:// URI) that broker is used and nothing is started.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<RabbitMqServer, byte> Live = new();
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Dictionary<string, string> _environment;
    private readonly object _gate = new();
    private bool _running;
    private int _disposed;

    static RabbitMqServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Live.Keys) server.ShutDownNow();
        };
    }

    private RabbitMqServer(string amqpUri, string? dir, string? nodeName, int port, Dictionary<string, string> environment)
    {
        AmqpUri = new Uri(amqpUri);
        Dir = dir;
        NodeName = nodeName;
        Port = port;
        _environment = environment;
    }

    /// <summary><c>amqp://guest:guest@127.0.0.1:PORT/</c> (guest may only log in from loopback), or <c>VIRTFLOW_RABBITMQ</c>.</summary>
    public Uri AmqpUri { get; }

    /// <summary>The AMQP port.</summary>
    public int Port { get; }

    /// <summary>The node's folder, or null for an external broker.</summary>
    public string? Dir { get; }

    /// <summary>E.g. <c>vf1a2b3c4d@localhost</c>; null for an external broker.</summary>
    public string? NodeName { get; }

    /// <summary>True when <c>VIRTFLOW_RABBITMQ</c> named the broker and nothing was started.</summary>
    public bool IsExternal => Dir is null;

    /// <summary>How long the last <see cref="Start"/> took, until <c>await_startup</c> returned.</summary>
    public TimeSpan LastStartupTime { get; private set; }

    /// <summary>The management HTTP API (<c>http://127.0.0.1:PORT/</c>) when started with <see cref="RabbitMqServerOptions.Management"/>.</summary>
    public Uri? ManagementUri { get; private set; }

    /// <summary>The TLS listener's port when started with <see cref="RabbitMqServerOptions.Tls"/>.</summary>
    public int? TlsPort { get; private set; }

    /// <summary>Starts a node (or adopts <c>VIRTFLOW_RABBITMQ</c>) and waits until it accepts AMQP connections.</summary>
    public static Task<RabbitMqServer> StartAsync() => StartAsync(null);

    /// <summary>
    /// Starts a node with <paramref name="options"/> (the management plugin, a TLS listener) and waits until it accepts AMQP
    /// connections (and HTTP on the management port). With <c>VIRTFLOW_RABBITMQ</c> and no options, that broker is adopted.
    /// </summary>
    public static Task<RabbitMqServer> StartAsync(RabbitMqServerOptions? options) => Task.Run(() =>
    {
        if (options is null && Environment.GetEnvironmentVariable("VIRTFLOW_RABBITMQ") is { Length: > 0 } external)
        {
            var uri = new Uri(external);
            return new RabbitMqServer(external, null, null, uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port, []);
        }

        ShutDownLeftovers();
        var dir = TestDirs.Create("rmq");
        ServerCommands.WriteOwner(dir);
        Directory.CreateDirectory(Path.Combine(dir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        File.WriteAllText(Path.Combine(dir, "enabled_plugins"), options?.Management == true ? "[rabbitmq_management].\n" : "[].\n");
        var node = $"vf{Guid.NewGuid().ToString("N")[..10]}@localhost";
        var port = ServerCommands.FreePort();
        var environment = NodeEnvironment(dir, node, port, ServerCommands.FreePort(), ServerCommands.FreePort());
        int? managementPort = options?.Management == true ? ServerCommands.FreePort() : null;
        int? tlsPort = options?.Tls is not null ? ServerCommands.FreePort() : null;
        if (managementPort is not null || tlsPort is not null)
        {
            var config = new List<string>();
            if (managementPort is { } mp) config.AddRange([$"management.tcp.port = {mp}", "management.tcp.ip = 127.0.0.1"]);
            if (options?.Tls is { } tls)
            {
                config.AddRange([$"listeners.ssl.default = 127.0.0.1:{tlsPort}", $"ssl_options.cacertfile = {tls.CaFile}",
                    $"ssl_options.certfile = {tls.CertFile}", $"ssl_options.keyfile = {tls.KeyFile}", "ssl_options.verify = verify_none",
                    "ssl_options.fail_if_no_peer_cert = false"]);
            }
            File.WriteAllLines(Path.Combine(dir, "rabbitmq.conf"), config);
            environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq.conf");
        }
        File.WriteAllLines(Path.Combine(dir, "node.env"), environment.Select(kv => $"{kv.Key}={kv.Value}"));
        ServerCommands.GiveTo(dir, "rabbitmq");

        var server = new RabbitMqServer($"amqp://guest:guest@127.0.0.1:{port}/", dir, node, port, environment)
        {
            ManagementUri = managementPort is { } m ? new Uri($"http://127.0.0.1:{m}/") : null,
            TlsPort = tlsPort,
        };
        Live[server] = 0;
        try
        {
            server.Start();
        }
        catch
        {
            server.ShutDownNow();
            throw;
        }
        return server;
    });

    /// <summary>Starts the node again after <see cref="Stop"/> (blocks until it is ready). No-op when running.</summary>
    public void Start()
    {
        ThrowIfExternal();
        lock (_gate)
        {
            if (_running) return;
            var sw = Stopwatch.StartNew();
            ServerCommands.RunChecked("rabbitmq-server", ["-detached"], StartTimeout, environment: _environment);
            // The AMQP listener opens last in the boot sequence: polling it is faster than `rabbitmqctl await_startup`
            // (which re-checks only every 10 s).
            while (!AnswersAmqp(Port) || (ManagementUri is { } management && !AnswersHttp(management)))
            {
                if (sw.Elapsed > StartTimeout)
                {
                    ShutDownNode();
                    throw new TimeoutException($"RabbitMQ node {NodeName} did not open AMQP port {Port} within {StartTimeout}:\n{ReadLog()}");
                }
                Thread.Sleep(100);
            }
            _running = true;
            LastStartupTime = sw.Elapsed;
        }
    }

    /// <summary>Shuts the node down (blocks until its process exited); AMQP connections drop. No-op when stopped.</summary>
    public void Stop()
    {
        ThrowIfExternal();
        lock (_gate)
        {
            if (!_running) return;
            ShutDownNode();
            _running = false;
        }
    }

    /// <summary>Shuts the node and its epmd down and deletes its folder (a no-op for an external broker).</summary>
    public ValueTask DisposeAsync()
    {
        ShutDownNow();
        return ValueTask.CompletedTask;
    }

    private void ShutDownNow()
    {
        if (IsExternal || Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Live.TryRemove(this, out _);
        lock (_gate)
        {
            ShutDownNode();
            _running = false;
        }
        KillEpmd(_environment);
        ServerCommands.TryDelete(Dir!);
    }

    private void ShutDownNode() => ShutDownNode(Dir!, NodeName!, _environment);

    /// <summary>rabbitmqctl shutdown (waits for the process to exit); kills the beam process from its pid file if that fails.</summary>
    private static void ShutDownNode(string dir, string node, Dictionary<string, string> environment)
    {
        try
        {
            var (code, _) = ServerCommands.Run("rabbitmqctl", ["-n", node, "shutdown", "--timeout", "30"], TimeSpan.FromSeconds(40), environment: environment);
            if (code == 0) return;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        var pidFile = Path.Combine(dir, "mnesia", node + ".pid");
        try
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception) { }
    }

    /// <summary>True when the port accepts a connection and answers a protocol header the way an AMQP broker does.</summary>
    public static bool AnswersAmqp(int port, string host = "127.0.0.1")
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            if (!client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2))) return false;
            using var stream = client.GetStream();
            stream.ReadTimeout = 5000;
            stream.Write("AMQP\0\0\0\0"u8);
            var reply = new byte[8];
            var read = 0;
            while (read < reply.Length)
            {
                var n = stream.Read(reply, read, reply.Length - read);
                if (n == 0) break;
                read += n;
            }
            return read == 8 && reply.AsSpan(0, 4).SequenceEqual("AMQP"u8);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or AggregateException)
        {
            return false;
        }
    }

    /// <summary>True when the management API answers an authenticated request.</summary>
    private static bool AnswersHttp(Uri management)
    {
        try
        {
            using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
            using var response = http.GetAsync(new Uri(management, "api/overview")).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static void KillEpmd(Dictionary<string, string> environment)
    {
        try
        {
            ServerCommands.Run("epmd", ["-port", environment["ERL_EPMD_PORT"], "-kill"], TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Shuts down nodes under <see cref="TestDirs.Root"/> whose test host died without doing it.</summary>
    public static void ShutDownLeftovers()
    {
        if (!Directory.Exists(TestDirs.Root)) return;
        foreach (var dir in Directory.EnumerateDirectories(TestDirs.Root, "rmq-*"))
        {
            if (!ServerCommands.OwnerIsGone(dir)) continue;
            var envFile = Path.Combine(dir, "node.env");
            if (File.Exists(envFile))
            {
                var environment = File.ReadAllLines(envFile).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                    .ToDictionary(p => p[0], p => p[1]);
                if (environment.TryGetValue("RABBITMQ_NODENAME", out var node))
                {
                    ShutDownNode(dir, node, environment);
                    KillEpmd(environment);
                }
            }
            ServerCommands.TryDelete(dir);
        }
    }

    private static Dictionary<string, string> NodeEnvironment(string dir, string node, int port, int distPort, int epmdPort) => new()
    {
        ["RABBITMQ_NODENAME"] = node,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
        ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(dir, "mnesia", node + ".pid"),
    };

    private string ReadLog()
    {
        try
        {
            var log = Path.Combine(Dir!, "log", NodeName + ".log");
            return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(40)) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private void ThrowIfExternal()
    {
        if (IsExternal)
            throw new NotSupportedException("the broker named by VIRTFLOW_RABBITMQ is not ours to stop or start");
    }
}
