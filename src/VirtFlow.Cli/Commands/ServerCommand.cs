using System.CommandLine;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Http;
using VirtFlow.Hosting.Logging;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Messaging.Identity;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow server</c>: runs the engine on a shared store and RabbitMQ (<see cref="VirtFlowServer"/>) until Ctrl-C or
/// SIGTERM (exit 0). It starts the workflows of <c>--workflows DIR</c> by name when a <c>StartWorkflow</c> message comes,
/// sends each step's commands to the queue of the step's <c>host</c>, and consumes what the workers answer. Once it serves
/// it prints one line starting with <c>virtflow server ready</c>. Bad usage or an invalid workflow: exit 2.
/// </summary>
internal static class ServerCommand
{
    /// <summary>The start of the line printed once the server serves (tests wait for it).</summary>
    internal const string ReadyLine = "virtflow server ready";

    private const string Description =
        "Runs the workflow engine: starts workflows from StartWorkflow messages (virtflow start), sends their commands to the "
        + "workers of their hosts (virtflow worker) and follows what they answer, until Ctrl-C or SIGTERM. "
        + "--store is where instances live, shared by every server: sqlite:PATH | postgres:CONNSTRING (required). "
        + "-v logs debug (-vv: everything, with stack traces); information and above is always logged.\n"
        + "exit code: 0 stopped by Ctrl-C/SIGTERM, 1 cannot start (store, broker), 2 bad usage or invalid workflow";

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var own = new ServerArguments.Options();
        var command = new Command("server", Description);
        own.AddTo(command, shared);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) => RunAsync(ServerArguments.From(parsed, shared, own), stdout, stderr, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow server ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["server", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(ServerArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        string storeSpec;
        bool allowAdhoc;
        VirtFlowServerSettings settings;
        WorkflowLimits limits;
        WorkflowEngineOptions engineLimits;
        VirtFlowHttpOptions? http;
        try
        {
            settings = VirtFlowServerSettings.Load();
            limits = LimitSettings.FromEnvironment();
            engineLimits = LimitSettings.WithInputLimit(new WorkflowEngineOptions());
            allowAdhoc = parsed.AllowAdhocDefinitions || settings.AllowAdhocDefinitions == true;
            http = HttpOptionsFor(parsed.Http ?? settings.Http, settings, limits, engineLimits);
            if (http is not null) http.Designer = parsed.Designer ?? settings.Designer;
            storeSpec = await RunStore.ResolveAsync(parsed.Store);
            if (storeSpec.Trim().StartsWith("memory:", StringComparison.OrdinalIgnoreCase))
                throw new RunUsageException("--store: a server needs a store that outlives it and that others share: sqlite:PATH or postgres:CONNSTRING");
        }
        catch (Exception e) when (e is RunUsageException or ArgumentException)
        {
            await stderr.WriteLineAsync($"virtflow server: {RunHost.OneLine(e.Message)} (see virtflow server --help)");
            return 2;
        }

        var workflows = await LoadWorkflowsAsync(parsed.Workflows, limits, stderr);
        if (workflows is null) return 2;

        var options = new VirtFlowServerOptions
        {
            StoreSpec = storeSpec,
            Transport = parsed.Transport,
            Workflows = workflows,
            Limits = limits,
            AllowAdhocDefinitions = allowAdhoc,
            Http = http,
            MessageTriggers = settings.MessageTriggers ?? new VirtFlow.Hosting.Triggers.MessageTriggerOptions(),
            Schedules = settings.Schedules ?? new VirtFlow.Hosting.Schedules.SchedulerOptions(),
            WorkerIdentity = new WorkerIdentityOptions
            {
                TrustAnyWorker = parsed.TrustAnyWorker || settings.TrustAnyWorker == true,
                WorkerUserPattern = parsed.WorkerUser ?? settings.WorkerUser ?? WorkerIdentityOptions.DefaultWorkerUserPattern,
            },
            // Stack traces from -vv on: the log of a server is read by operators, one line per event.
            Logging = logging => logging.AddVirtFlowConsole(VirtFlowLogging.LevelFor(parsed.Verbosity + 1), VirtFlowLogging.StackTracesFor(parsed.Verbosity)),
        };
        if (parsed.EngineId is not null) options.Engine = options.Engine with { EngineId = parsed.EngineId };
        options.Engine = options.Engine with { MaxInputBytes = engineLimits.MaxInputBytes };
        if (allowAdhoc)
            await stderr.WriteLineAsync("virtflow server: warning: ad hoc definitions are allowed (--allow-adhoc-definitions): "
                + "any client that may publish a start runs the workflow it sends, scripts and QMP commands included");
        VirtFlowServer server;
        try
        {
            server = await VirtFlowServer.StartAsync(options, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("virtflow server: interrupted while starting");
            return 1;
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"virtflow server: {RunHost.OneLine(e.Message)}");
            return 2;
        }
        catch (VirtFlow.Hosting.Schedules.SchedulerRefusedException e)
        {
            await stderr.WriteLineAsync($"virtflow server: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        catch (IOException e) when (http is not null && e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
        {
            await stderr.WriteLineAsync($"virtflow server: --http {http.Url}: cannot listen: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"virtflow server: cannot start (store {RunHost.Redacted(storeSpec)}, bus {parsed.Transport}): {RabbitMqTls.RejectionOf(parsed.Transport) ?? RunHost.OneLine(e.Message)}");
            return 1;
        }
        await using (server)
        {
            var names = server.Workflows.Names;
            await stdout.WriteLineAsync($"{ReadyLine}: engine {options.Engine.EngineId}, {names.Count} workflow{(names.Count == 1 ? "" : "s")}"
                + $"{(names.Count > 0 ? " (" + string.Join(", ", names) + ")" : "")}, store {RunHost.Redacted(storeSpec)}, bus {parsed.Transport}"
                + $", http {(server.HttpAddress is { } address ? address.ToString().TrimEnd('/') : "off")}");
            await stdout.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: stop gracefully
            }
            await server.StopAsync(CancellationToken.None);
        }
        return 0;
    }

    /// <summary>
    /// The HTTP API's options: <c>--http</c> or <c>VirtFlow:Server:Http</c> (<c>off</c>: none), the body limit from the parser's
    /// and the inputs' limits, the key cache time and JWT settings from appsettings.
    /// </summary>
    private static VirtFlowHttpOptions? HttpOptionsFor(string? url, VirtFlowServerSettings settings, WorkflowLimits limits, WorkflowEngineOptions engine)
    {
        if (string.Equals(url?.Trim(), "off", StringComparison.OrdinalIgnoreCase)) return null;
        var http = new VirtFlowHttpOptions
        {
            Url = url?.Trim() ?? VirtFlowHttpOptions.DefaultUrl,
            MaxRequestBodyBytes = Math.Max(limits.MaxFileBytes, engine.MaxInputBytes) + 64 * 1024,
            Jwt = settings.Jwt,
        };
        if (settings.KeyCacheTime is { } cache) http.KeyCacheTime = cache;
        if (settings.IdempotencyKeyLifetime is { } lifetime) http.IdempotencyKeyLifetime = lifetime;
        if (settings.IdempotencySweepInterval is { } sweep) http.IdempotencySweepInterval = sweep;
        try
        {
            http.Validate();
        }
        catch (ArgumentException e) when (e.ParamName == nameof(VirtFlowHttpOptions.KeyCacheTime))
        {
            throw new RunUsageException($"VirtFlow:Server:KeyCacheTime: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        catch (ArgumentException e) when (e.ParamName is nameof(VirtFlowHttpOptions.IdempotencyKeyLifetime) or nameof(VirtFlowHttpOptions.IdempotencySweepInterval))
        {
            throw new RunUsageException($"VirtFlow:Server:{e.ParamName}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        catch (ArgumentException e)
        {
            throw new RunUsageException(e.Message.Split(" (Parameter", 2)[0]);
        }
        return http;
    }

    /// <summary>The workflows under <paramref name="dir"/>, or null after printing every problem as <c>file:line:col: message</c>.</summary>
    private static async Task<WorkflowLoadResult?> LoadWorkflowsAsync(string dir, WorkflowLimits limits, TextWriter stderr)
    {
        WorkflowLoadResult loaded;
        try
        {
            loaded = new WorkflowLoader(VirtFlowActivities.CreateRegistry(), limits).LoadDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"virtflow server: --workflows '{dir}': cannot read the folder: {RunHost.OneLine(e.Message)}");
            return null;
        }
        foreach (var diagnostic in Diagnostic.Sort(loaded.Diagnostics)) await stderr.WriteLineAsync(RunHost.OneLine(diagnostic.ToString()));
        if (loaded.HasErrors)
        {
            var errors = loaded.Diagnostics.Count(d => d.IsError);
            await stderr.WriteLineAsync($"virtflow server: --workflows '{dir}' holds invalid workflows ({errors} error{(errors == 1 ? "" : "s")})");
            return null;
        }
        if (loaded.Workflows.Count == 0)
            await stderr.WriteLineAsync($"virtflow server: note: no workflow under '{dir}'; only 'virtflow start FILE' can start anything");
        return loaded;
    }
}
