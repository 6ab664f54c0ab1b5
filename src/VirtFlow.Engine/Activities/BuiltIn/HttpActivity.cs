using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;
using VirtFlow.Engine.Runtime.Support;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>
/// <c>http</c>: one HTTP request per attempt. An effect: its completed result is checkpointed, so it is not
/// sent again after a crash once completed (an attempt in flight during a crash is sent again).
/// </summary>
public sealed class HttpActivity : BuiltInActivity
{
    private static readonly HttpClient Shared = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly HttpClient? _client;

    /// <param name="client">The client to use; by default an <see cref="HttpClient"/> from the engine's services, else a shared one.</param>
    public HttpActivity(HttpClient? client = null) => _client = client;

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "http",
        Description = "Sends an HTTP request; completes with the status, headers and body (JSON bodies parsed).",
        Category = "http",
        InputRecord = typeof(With),
        Outputs =
        [
            new("status", "integer", "The response status code."),
            new("headers", "object", "Response headers: name → value."),
            new("body", "any", "The response body: parsed JSON when it is JSON, else text."),
        ],
    };

    protected override async ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        var method = with.Method.ToUpperInvariant();
        var url = with.Url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new ActivityInputException($"input 'url' is not an absolute URL: '{url}'");
        var timeout = with.Timeout;
        var client = _client ?? context.Services.GetService(typeof(HttpClient)) as HttpClient ?? Shared;

        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        request.Content = Body(with.Body);
        foreach (var (name, value) in with.Headers ?? [])
        {
            var text = value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "";
            if (!request.Headers.TryAddWithoutValidation(name, text))
                request.Content?.Headers.TryAddWithoutValidation(name, text);
        }

        using var timer = new CancellationTokenSource(timeout, context.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ActivityOutcome.Fault($"http {method} {url} timed out after {Durations.Format(timeout)}", "Timeout");
        }
        catch (HttpRequestException ex)
        {
            return ActivityOutcome.Fault($"http {method} {url} failed: {ex.Message}", "HttpError");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            BuiltInLog.HttpAnswered(context.Logger, method, url, context.InstanceId, context.StepPath, status);
            var outputs = new JsonObject
            {
                ["status"] = status,
                ["headers"] = Headers(response),
                ["body"] = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false),
            };
            if (!IsExpected(with.ExpectStatus, status))
            {
                var expected = with.ExpectStatus?.ToJsonString() ?? "2xx";
                return ActivityOutcome.Fault($"http {method} {url} answered {status} {response.ReasonPhrase}, expected {expected}", "HttpStatus", outputs);
            }
            return ActivityOutcome.Complete(outputs);
        }
    }

    /// <summary>http's inputs.</summary>
    private sealed record With(
        [property: Input("The HTTP method.", Default = "GET")] string Method,
        [property: Input("The absolute URL.", Required = true)] string Url,
        [property: Input("Request headers: name → value.")] JsonObject? Headers,
        [property: Input("The request body: a string is sent as text, anything else as JSON.")] JsonNode? Body,
        [property: Input("How long the request may take.", Default = "100s")] TimeSpan Timeout,
        [property: Input("The status (or array of statuses) that counts as success; by default any 2xx.")] JsonNode? ExpectStatus);

    private static HttpContent? Body(JsonNode? body) => body switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => new StringContent(s, Encoding.UTF8, "text/plain"),
        _ => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };

    private static JsonObject Headers(HttpResponseMessage response)
    {
        var headers = new JsonObject();
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> all = response.Headers;
        all = all.Concat(response.Content.Headers);
        foreach (var (name, values) in all) headers[name.ToLowerInvariant()] = string.Join(", ", values);
        return headers;
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (text.Length == 0) return null;
        if (response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: { } type } && type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return text;
            }
        }
        return text;
    }

    private static bool IsExpected(JsonNode? expect, int status) => expect switch
    {
        null => status is >= 200 and < 300,
        JsonArray a => a.Any(x => IsExpected(x, status)),
        JsonValue v when v.TryGetValue(out string? s) => s.Equals($"{status}", StringComparison.Ordinal)
            || (s.Length == 3 && s.EndsWith("xx", StringComparison.OrdinalIgnoreCase) && s[0] == $"{status}"[0]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString() == $"{status}",
        _ => false,
    };
}
