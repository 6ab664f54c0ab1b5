using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Messaging.Broker;

/// <summary>
/// <c>virtflow broker setup</c>: through RabbitMQ's management HTTP API, creates the vhost, one user per role (server, a
/// worker per host, clients) with random passwords and the permissions of <see cref="BrokerRoles"/>, and declares
/// <see cref="BrokerTopology"/>. Idempotent: an existing user keeps its password unless <see cref="BrokerSetupOptions.Rotate"/>
/// (its permissions are set again either way).
/// </summary>
public sealed class BrokerSetup(HttpClient http, BrokerSetupOptions options)
{
    /// <summary>Runs the set-up against <paramref name="options"/>' broker; the roles' users in order (server, workers, client).</summary>
    /// <exception cref="ArgumentException">A bad option.</exception>
    /// <exception cref="BrokerSetupException">The API refused a step or cannot be reached (one line naming it).</exception>
    public static async Task<IReadOnlyList<BrokerRoleUser>> RunAsync(BrokerSetupOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var transport = (RabbitMqBusTransport)BusTransport.RabbitMq(options.AdminUri!);
        var (user, password) = transport.Credentials;
        using var http = new HttpClient { BaseAddress = options.EffectiveManagementUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await new BrokerSetup(http, options).RunAsync(ct).ConfigureAwait(false);
    }

    private string Vhost => Uri.EscapeDataString(options.EffectiveVhost);

    private async Task<IReadOnlyList<BrokerRoleUser>> RunAsync(CancellationToken ct)
    {
        var admin = ((RabbitMqBusTransport)BusTransport.RabbitMq(options.AdminUri!)).UserName;
        await PutAsync($"api/vhosts/{Vhost}", new JsonObject(), $"vhost '{options.EffectiveVhost}'", ct).ConfigureAwait(false);
        if (!await ExistsAsync($"api/permissions/{Vhost}/{Uri.EscapeDataString(admin)}", ct).ConfigureAwait(false))
            await PermitAsync(BrokerRoles.Server(admin), ct).ConfigureAwait(false);

        var roles = new List<(string Role, BrokerPermission Permission)> { ("server", BrokerRoles.Server()) };
        roles.AddRange(options.Hosts.Distinct(StringComparer.Ordinal).Select(h => ($"worker-{h}", BrokerRoles.Worker(h))));
        roles.Add(("client", BrokerRoles.Client()));
        var users = new List<BrokerRoleUser>();
        foreach (var (role, permission) in roles)
        {
            var state = "kept";
            string? password = null;
            var exists = await ExistsAsync($"api/users/{Uri.EscapeDataString(permission.User)}", ct).ConfigureAwait(false);
            if (!exists || options.Rotate)
            {
                password = NewPassword();
                await PutAsync($"api/users/{Uri.EscapeDataString(permission.User)}", new JsonObject { ["password"] = password, ["tags"] = "" },
                    $"user '{permission.User}'", ct).ConfigureAwait(false);
                state = exists ? "rotated" : "created";
            }
            await PermitAsync(permission, ct).ConfigureAwait(false);
            users.Add(new BrokerRoleUser(role, permission.User, ConnectionUri(permission.User, password), state));
        }
        await DeclareAsync(BrokerTopology.For(options.Hosts), ct).ConfigureAwait(false);
        return users;
    }

    private async Task DeclareAsync(BrokerTopology topology, CancellationToken ct)
    {
        foreach (var exchange in topology.Exchanges)
            await PutAsync($"api/exchanges/{Vhost}/{Uri.EscapeDataString(exchange)}",
                new JsonObject { ["type"] = "fanout", ["durable"] = true, ["auto_delete"] = false, ["internal"] = false, ["arguments"] = new JsonObject() },
                $"exchange '{exchange}'", ct).ConfigureAwait(false);
        foreach (var (queue, singleActive) in topology.Queues)
        {
            var arguments = new JsonObject();
            if (singleActive) arguments["x-single-active-consumer"] = true;
            await PutAsync($"api/queues/{Vhost}/{Uri.EscapeDataString(queue)}",
                new JsonObject { ["durable"] = true, ["auto_delete"] = false, ["arguments"] = arguments }, $"queue '{queue}'", ct).ConfigureAwait(false);
        }
        foreach (var (source, destination, toQueue) in topology.Bindings)
            await SendAsync(HttpMethod.Post, $"api/bindings/{Vhost}/e/{Uri.EscapeDataString(source)}/{(toQueue ? "q" : "e")}/{Uri.EscapeDataString(destination)}",
                new JsonObject { ["routing_key"] = "", ["arguments"] = new JsonObject() }, $"binding '{source}' → '{destination}'", ct).ConfigureAwait(false);
    }

    private Task PermitAsync(BrokerPermission permission, CancellationToken ct) =>
        PutAsync($"api/permissions/{Vhost}/{Uri.EscapeDataString(permission.User)}",
            new JsonObject { ["configure"] = permission.Configure, ["write"] = permission.Write, ["read"] = permission.Read },
            $"permissions of '{permission.User}'", ct);

    private Uri ConnectionUri(string user, string? password)
    {
        var uri = new UriBuilder(options.AdminUri!)
        {
            UserName = Uri.EscapeDataString(user),
            Password = password is null ? "" : Uri.EscapeDataString(password),
            Path = "/" + Uri.EscapeDataString(options.EffectiveVhost),
        };
        return uri.Uri;
    }

    private static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    private async Task<bool> ExistsAsync(string path, CancellationToken ct)
    {
        using var response = await CallAsync(HttpMethod.Get, path, null, path, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureAsync(response, path, ct).ConfigureAwait(false);
        return true;
    }

    private Task PutAsync(string path, JsonObject body, string what, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, what, ct);

    private async Task SendAsync(HttpMethod method, string path, JsonObject body, string what, CancellationToken ct)
    {
        using var response = await CallAsync(method, path, body, what, ct).ConfigureAwait(false);
        await EnsureAsync(response, what, ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, JsonObject? body, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null) request.Content = JsonContent.Create(body);
        try
        {
            return await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new BrokerSetupException($"cannot reach the management API {http.BaseAddress} (--management; is the rabbitmq_management plugin on?): {e.Message} ({what})");
        }
    }

    private async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var reason = response.StatusCode == HttpStatusCode.Unauthorized
            ? "the admin user was refused (wrong password, or not tagged administrator)"
            : Printable.Bounded(text, 200);
        throw new BrokerSetupException($"the management API {http.BaseAddress} refused {what}: HTTP {(int)response.StatusCode} {reason}");
    }
}
