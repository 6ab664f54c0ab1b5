using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts.Text;

namespace VirtFlow.Hosting.Client;

/// <summary>
/// The HTTP API of a <c>virtflow server</c> for the remote CLI and other tools: instances (list, get, start, cancel,
/// retry) and the live stream, with the key in <c>X-Api-Key</c>. A refusal is an <see cref="ApiClientException"/> whose
/// message is the server's problem detail, as one line.
/// </summary>
public sealed class VirtFlowApiClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    public VirtFlowApiClient(Uri server, string apiKey, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = server;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        Server = server;
    }

    /// <summary>The server's base URL.</summary>
    public Uri Server { get; }

    /// <summary>How many reconnects in a row that bring no new event <see cref="FollowAsync"/> makes before it gives up. Default 10.</summary>
    public int MaxReconnects { get; set; } = 10;

    /// <summary>How long a plain request may take. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>GET /api/instances</c> with the filters given (name → value); the answer's <c>{items, nextCursor}</c>.</summary>
    public Task<JsonObject> ListAsync(IReadOnlyDictionary<string, string> filters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var query = string.Join("&", filters.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
        return SendAsync(HttpMethod.Get, "/api/instances" + (query.Length > 0 ? "?" + query : ""), null, ct);
    }

    /// <summary><c>GET /api/instances/{id}</c>; null when there is no such instance.</summary>
    public async Task<JsonObject?> GetAsync(string id, CancellationToken ct)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, $"/api/instances/{Uri.EscapeDataString(id)}", null, ct).ConfigureAwait(false);
        }
        catch (ApiClientException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary><c>POST /api/instances</c> <c>{workflow, inputs, correlationId}</c>; the new instance's id.</summary>
    public async Task<string> StartAsync(string workflow, JsonObject inputs, string? correlationId, string? idempotencyKey, CancellationToken ct)
    {
        var body = new JsonObject { ["workflow"] = workflow, ["inputs"] = inputs.DeepClone(), ["correlationId"] = correlationId };
        var answer = await SendAsync(HttpMethod.Post, "/api/instances", body, ct, idempotencyKey).ConfigureAwait(false);
        return answer["id"]?.GetValue<string>() ?? throw new ApiClientException($"{Server}: the start's answer names no instance id");
    }

    /// <summary><c>POST /api/preflight</c> <c>{workflow, inputs}</c>: the dry run's plan (changes nothing on the server or the host).</summary>
    public Task<JsonObject> PlanAsync(string workflow, JsonObject inputs, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/api/preflight", new JsonObject { ["workflow"] = workflow, ["inputs"] = inputs.DeepClone() }, ct);

    /// <summary><c>POST /api/instances/{id}/cancel</c>.</summary>
    public Task<JsonObject> CancelAsync(string id, string? reason, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/api/instances/{Uri.EscapeDataString(id)}/cancel", reason is null ? new JsonObject() : new JsonObject { ["reason"] = reason }, ct);

    /// <summary><c>POST /api/instances/{id}/retry</c> <c>{fromStep, inputs}</c> (each only when given).</summary>
    public Task<JsonObject> RetryAsync(string id, string? fromStep, CancellationToken ct, JsonObject? inputs = null)
    {
        var body = new JsonObject();
        if (fromStep is not null) body["fromStep"] = fromStep;
        if (inputs is { Count: > 0 }) body["inputs"] = inputs.DeepClone();
        return SendAsync(HttpMethod.Post, $"/api/instances/{Uri.EscapeDataString(id)}/retry", body, ct);
    }

    /// <summary>
    /// The live stream of one instance (or all, <paramref name="instanceId"/> null) after <paramref name="after"/>, as the
    /// server sends it on one connection; ends when the server ends it (the instance ended, or this client was dropped).
    /// </summary>
    public async IAsyncEnumerable<LiveStreamItem> StreamAsync(string? instanceId, long? after, [EnumeratorCancellation] CancellationToken ct)
    {
        var path = instanceId is null ? "/api/stream" : $"/api/instances/{Uri.EscapeDataString(instanceId)}/stream";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        if (after is { } seq) request.Headers.Add("Last-Event-ID", seq.ToString(CultureInfo.InvariantCulture));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await foreach (var message in ServerSentEvents.ReadAsync(body, ct).ConfigureAwait(false))
        {
            switch (message.Event)
            {
                case "message":
                    yield return new LiveStreamItem.Event(JsonSerializer.Deserialize<LiveEvent>(message.Data, Json)
                        ?? throw new ApiClientException($"{Server}: an empty event on the stream"));
                    break;
                case "dropped":
                    var dropped = JsonNode.Parse(message.Data);
                    yield return new LiveStreamItem.Dropped(dropped?["reason"]?.GetValue<string>() ?? "dropped", dropped?["lastSeq"]?.GetValue<long>() ?? after ?? 0);
                    yield break;
                case "end":
                    var end = JsonNode.Parse(message.Data);
                    yield return new LiveStreamItem.End(end?["status"]?.GetValue<string>() ?? "", end?["lastSeq"]?.GetValue<long>() ?? 0);
                    yield break;
            }
        }
    }

    /// <summary>
    /// Follows one instance to its end across reconnects: after a drop or a broken connection it resumes after the last
    /// sequence it saw (nothing lost, nothing twice), waiting <paramref name="reconnectDelay"/> (default 1 s) between tries.
    /// The final item is the <see cref="LiveStreamItem.End"/>. After <see cref="MaxReconnects"/> tries in a row that
    /// brought nothing new it gives up with the last error.
    /// </summary>
    public async IAsyncEnumerable<LiveStreamItem> FollowAsync(string instanceId, Action<string>? onReconnect, [EnumeratorCancellation] CancellationToken ct, TimeSpan? reconnectDelay = null)
    {
        long? last = null;
        var fruitless = 0;
        while (true)
        {
            var items = StreamAsync(instanceId, last, ct).GetAsyncEnumerator(ct);
            string? broken = null;
            try
            {
                while (true)
                {
                    LiveStreamItem item;
                    try
                    {
                        if (!await items.MoveNextAsync().ConfigureAwait(false)) break;
                        item = items.Current;
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException || (e is ApiClientException { Status: null or >= 500 }))
                    {
                        broken = e.Message;
                        break;
                    }
                    switch (item)
                    {
                        case LiveStreamItem.Event ev:
                            last = ev.Value.Seq;
                            fruitless = 0;
                            yield return item;
                            break;
                        case LiveStreamItem.Dropped dropped:
                            broken = dropped.Reason;
                            yield return item;
                            break;
                        case LiveStreamItem.End:
                            yield return item;
                            yield break;
                    }
                    if (broken is not null) break;
                }
            }
            finally
            {
                await items.DisposeAsync().ConfigureAwait(false);
            }
            var why = TerminalText.Safe(broken ?? "the server closed the stream");
            if (++fruitless > MaxReconnects) throw new ApiClientException($"gave up after {MaxReconnects} reconnects: {why}");
            onReconnect?.Invoke(why);
            await Task.Delay(reconnectDelay ?? TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>/api/schedules</c>: the list (no id), one schedule (no action), or an action on one (<c>pause</c>, <c>resume</c>,
    /// <c>trigger</c>, <c>backfill</c>) with its body.
    /// </summary>
    public Task<JsonObject> SchedulesAsync(string? id, string? action, JsonObject? body, CancellationToken ct) =>
        SendAsync(action is null ? HttpMethod.Get : HttpMethod.Post,
            "/api/schedules" + (id is null ? "" : "/" + Uri.EscapeDataString(id)) + (action is null ? "" : "/" + action), action is null ? null : body ?? new JsonObject(), ct);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(RequestTimeout);
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(limit.Token).ConfigureAwait(false);
        return JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject ?? new JsonObject();
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ApiClientException($"cannot reach {Server}: {e.Message}", null, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested || e.InnerException is TimeoutException)
        {
            throw new ApiClientException($"{Server} did not answer in time", null, e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new ApiClientException($"{Server}: {(int)response.StatusCode} {Problem(text) ?? response.ReasonPhrase ?? response.StatusCode.ToString()}", (int)response.StatusCode);
        }
    }

    /// <summary>A problem's detail (or title), else null.</summary>
    private static string? Problem(string text)
    {
        try
        {
            var problem = JsonNode.Parse(text) as JsonObject;
            var detail = problem?["detail"]?.GetValue<string>() ?? problem?["title"]?.GetValue<string>();
            return detail is null ? null : TerminalText.Safe(detail.ReplaceLineEndings(" "), TerminalText.LongMaxLength);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
