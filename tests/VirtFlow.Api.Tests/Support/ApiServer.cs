using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Api;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Http;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Server;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Support;

/// <summary>
/// A real <see cref="VirtFlowServer"/> (engine, store, RabbitMQ) serving the HTTP API on a free loopback port, with a key
/// per role made in its store and an <see cref="HttpClient"/> for each: <see cref="Viewer"/>, <see cref="Operator"/>,
/// <see cref="Admin"/>, and <see cref="Anonymous"/> (no key).
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private ApiServer(VirtFlowServer server, TestStore store)
    {
        Server = server;
        Store = store;
        BaseAddress = server.HttpAddress ?? throw new InvalidOperationException("the server serves no HTTP");
        Anonymous = NewClient(null);
    }

    public VirtFlowServer Server { get; }

    public TestStore Store { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseAddress { get; }

    public HttpClient Anonymous { get; }

    public HttpClient Viewer { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The keys of <see cref="Viewer"/>, <see cref="Operator"/>, <see cref="Admin"/> by role.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; private set; } = new Dictionary<string, string>();

    /// <summary>The server's key store.</summary>
    public IApiKeyStore KeyStore => Server.Services.GetRequiredService<IApiKeyStore>();

    /// <summary>
    /// Starts a server on <paramref name="store"/> and RabbitMQ with <paramref name="workflows"/> (file name → YAML),
    /// HTTP on a free port, and makes one key per role (named <c>test-viewer</c>, ... unless <paramref name="keys"/> is false).
    /// </summary>
    public static async Task<ApiServer> StartAsync(RabbitMqServer rabbit, TestStore store, ITestOutputHelper? output = null,
        Action<VirtFlowServerOptions>? configure = null, bool keys = true, params (string File, string Text)[] workflows)
    {
        var dir = TestDirs.Create("workflows");
        foreach (var (file, text) in workflows) await File.WriteAllTextAsync(Path.Combine(dir, file), text);
        var options = new VirtFlowServerOptions
        {
            StoreSpec = store.Spec,
            Transport = BusTransport.RabbitMq(rabbit.AmqpUri),
            Workflows = new WorkflowLoader(VirtFlowActivities.CreateRegistry()).LoadDirectory(dir),
            Http = new VirtFlowHttpOptions { Url = "http://127.0.0.1:0" },
            Logging = output is null ? null : b => b.AddProvider(new TestOutputLoggerProvider(output, LogLevel.Information)),
        };
        configure?.Invoke(options);
        var server = await VirtFlowServer.StartAsync(options);
        var api = new ApiServer(server, store);
        if (keys) await api.MakeRoleKeysAsync();
        return api;
    }

    /// <summary>Creates a key in the server's store; returns the key.</summary>
    public async Task<string> CreateKeyAsync(string name, string role, DateTimeOffset? expiresAt = null) =>
        (await ApiKeyIssuer.CreateAsync(KeyStore, name, role, expiresAt, TimeProvider.System)).Key;

    /// <summary>A client sending <paramref name="key"/> as <c>X-Api-Key</c> (or none).</summary>
    public HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _clients.Add(client);
        return client;
    }

    /// <summary>A client sending <paramref name="token"/> as <c>Authorization: Bearer</c>.</summary>
    public HttpClient NewBearerClient(string token)
    {
        var client = NewClient(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task MakeRoleKeysAsync()
    {
        var keys = new Dictionary<string, string>();
        foreach (var role in ApiRoles.All) keys[role] = await CreateKeyAsync("test-" + role, role);
        Keys = keys;
        Viewer = NewClient(keys[ApiRoles.Viewer]);
        Operator = NewClient(keys[ApiRoles.Operator]);
        Admin = NewClient(keys[ApiRoles.Admin]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await Server.DisposeAsync();
    }
}
