using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace VirtFlow.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for a test run: initdb (once, then a copy of it) into a fresh folder under <see cref="TestDirs.Root"/>
/// (owned by <c>postgres</c> when running as root), trust auth for user <c>virtflow</c>, 127.0.0.1 on a free port,
/// fsync off. Stopped (<c>pg_ctl stop -m immediate</c>) on dispose and on process exit; a cluster left by a killed
/// test host is stopped by the next <see cref="StartAsync"/>. With <c>VIRTFLOW_PG</c> set (a connection string) that
/// server is used instead and nothing is started. Share one through a collection fixture; give each test class
/// (or test) its own database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "virtflow";
    private static readonly ConcurrentDictionary<PostgresServer, byte> Live = new();
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly string? _dataDir;
    private readonly ConcurrentBag<string> _databases = [];
    private int _stopped;

    static PostgresServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Live.Keys) server.StopNow();
        };
    }

    private PostgresServer(string adminConnectionString, string? dir, TimeSpan startupTime)
    {
        AdminConnectionString = adminConnectionString;
        Dir = dir;
        _dataDir = dir is null ? null : Path.Combine(dir, "data");
        StartupTime = startupTime;
    }

    /// <summary>Connection string to the <c>postgres</c> maintenance database (or <c>VIRTFLOW_PG</c> as given).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The cluster's folder (data, socket, log), or null for an external server.</summary>
    public string? Dir { get; }

    /// <summary>True when <c>VIRTFLOW_PG</c> named the server and nothing was started.</summary>
    public bool IsExternal => Dir is null;

    /// <summary>How long preparing the data folder and starting took (zero for an external server).</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>The folder holding initdb, pg_ctl and psql: the newest <c>/usr/lib/postgresql/*/bin</c>, or <c>$VIRTFLOW_PG_BIN</c>.</summary>
    public static string BinDir { get; } = FindBinDir();

    /// <summary>Starts a cluster (or adopts <c>VIRTFLOW_PG</c>) and waits until it accepts connections.</summary>
    public static Task<PostgresServer> StartAsync() => Task.Run(Start);

    private static PostgresServer Start()
    {
        if (Environment.GetEnvironmentVariable("VIRTFLOW_PG") is { Length: > 0 } external)
            return new PostgresServer(external, null, TimeSpan.Zero);

        StopLeftovers();
        var sw = Stopwatch.StartNew();
        var dir = TestDirs.Create("pg");
        ServerCommands.WriteOwner(dir);
        ServerCommands.GiveTo(dir, "postgres");
        var data = Path.Combine(dir, "data");
        ServerCommands.RunChecked("cp", ["-a", Template(), data], ToolTimeout, asUser: "postgres");

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = ServerCommands.FreePort();
            var options = string.Join(' ',
                "-p", port.ToString(CultureInfo.InvariantCulture), "-k", dir, "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200");
            var (code, output) = ServerCommands.Run(Tool("pg_ctl"),
                ["-D", data, "-o", options, "-l", Path.Combine(dir, "postgres.log"), "-w", "-t", "60", "start"],
                ToolTimeout, asUser: "postgres");
            if (code == 0)
            {
                var server = new PostgresServer(
                    $"Host=127.0.0.1;Port={port};Username={User};Database=postgres;Pooling=true", dir, sw.Elapsed);
                Live[server] = 0;
                return server;
            }
            last = new InvalidOperationException($"pg_ctl start on port {port} failed ({code}): {output.Trim()}\n{ReadLog(dir)}");
        }
        ServerCommands.TryDelete(dir);
        throw last!;
    }

    /// <summary>
    /// Creates an empty database named <paramref name="prefix"/> plus a unique suffix and returns a connection
    /// string to it (the admin connection string with the database replaced).
    /// </summary>
    public Task<string> CreateDatabaseAsync(string prefix) => Task.Run(() =>
    {
        var clean = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        if (clean.Length > 40) clean = clean[..40];
        var name = $"{clean}_{Guid.NewGuid().ToString("N")[..10]}";
        Psql($"CREATE DATABASE \"{name}\" STRATEGY FILE_COPY");
        _databases.Add(name);
        var builder = new DbConnectionStringBuilder { ConnectionString = AdminConnectionString };
        builder["Database"] = name;
        return builder.ConnectionString;
    });

    /// <summary>Runs SQL through psql against the maintenance database; returns psql's output.</summary>
    public string Psql(string sql)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = AdminConnectionString };
        string? Get(params string[] keys) =>
            keys.Select(k => builder.TryGetValue(k, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null)
                .FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var env = new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "10" };
        if (Get("Password", "PWD") is { } password) env["PGPASSWORD"] = password;
        var args = new List<string>
        {
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", Get("Host", "Server") ?? "127.0.0.1",
            "-p", Get("Port") ?? "5432",
            "-U", Get("Username", "User ID", "User Name", "UserName", "User") ?? User,
            "-d", IsExternal ? Get("Database", "DB") ?? "postgres" : "postgres",
            "-c", sql,
        };
        return ServerCommands.RunChecked(Tool("psql"), args, ToolTimeout, environment: env);
    }

    /// <summary>Stops the cluster and deletes its folder; on an external server, drops the databases it created.</summary>
    public ValueTask DisposeAsync()
    {
        if (IsExternal)
        {
            while (_databases.TryTake(out var name))
            {
                try { Psql($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"); }
                catch (InvalidOperationException) { }
            }
        }
        StopNow();
        return ValueTask.CompletedTask;
    }

    private void StopNow()
    {
        if (_dataDir is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        Live.TryRemove(this, out _);
        StopCluster(_dataDir);
        ServerCommands.TryDelete(Dir!);
    }

    private static void StopCluster(string dataDir)
    {
        if (!File.Exists(Path.Combine(dataDir, "postmaster.pid"))) return;
        try
        {
            ServerCommands.Run(Tool("pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"], ToolTimeout, asUser: "postgres");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Stops clusters under <see cref="TestDirs.Root"/> whose test host died without stopping them.</summary>
    public static void StopLeftovers()
    {
        if (!Directory.Exists(TestDirs.Root)) return;
        foreach (var dir in Directory.EnumerateDirectories(TestDirs.Root, "pg-*"))
        {
            if (!ServerCommands.OwnerIsGone(dir)) continue;
            StopCluster(Path.Combine(dir, "data"));
            ServerCommands.TryDelete(dir);
        }
    }

    /// <summary>
    /// An initdb'd, never started data folder kept under <see cref="TestDirs.Root"/> per PostgreSQL version: copying it
    /// takes a fraction of initdb's second. Made once (into a temporary folder, then renamed, so racing runs are safe).
    /// </summary>
    private static string Template()
    {
        var version = Path.GetFileName(Path.GetDirectoryName(BinDir)) ?? "pg";
        var template = Path.Combine(TestDirs.Root, $"pgtemplate-{version}");
        if (File.Exists(Path.Combine(template, "PG_VERSION"))) return template;
        var temp = TestDirs.Create("pgtemplate-tmp");
        ServerCommands.GiveTo(temp, "postgres");
        var data = Path.Combine(temp, "data");
        ServerCommands.RunChecked(Tool("initdb"),
            ["-D", data, "-A", "trust", "-U", User, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
            ToolTimeout, asUser: "postgres");
        try
        {
            Directory.Move(data, template);
        }
        catch (IOException) when (File.Exists(Path.Combine(template, "PG_VERSION")))
        {
            // Another run made it first.
        }
        ServerCommands.TryDelete(temp);
        return template;
    }

    private static string Tool(string name) => Path.Combine(BinDir, name);

    private static string ReadLog(string dir)
    {
        try
        {
            var log = Path.Combine(dir, "postgres.log");
            return File.Exists(log) ? File.ReadAllText(log) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string FindBinDir()
    {
        if (Environment.GetEnvironmentVariable("VIRTFLOW_PG_BIN") is { Length: > 0 } bin) return bin;
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.EnumerateDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault();
            if (newest is not null) return newest;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin and PATH): apt-get install postgresql, or set VIRTFLOW_PG_BIN or VIRTFLOW_PG");
    }
}
