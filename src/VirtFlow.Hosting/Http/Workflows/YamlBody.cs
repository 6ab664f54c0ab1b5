using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace VirtFlow.Hosting.Http.Workflows;

/// <summary>
/// Reads a workflow text from a request body: <c>text/yaml</c>, <c>application/yaml</c> (also <c>application/x-yaml</c>,
/// <c>text/x-yaml</c>, <c>text/plain</c>) as the text itself, or <c>application/json</c> as <c>{"yaml": "..."}</c>. The body
/// may hold at most <see cref="VirtFlow.Engine.Definitions.WorkflowLimits.MaxFileBytes"/> bytes of text (64 KiB more for the JSON
/// around it); it is read no further than that. It must be UTF-8.
/// </summary>
internal static class YamlBody
{
    private static readonly string[] YamlTypes = ["text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml", "text/plain"];
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text, or the problem to answer (400, 413, 415) naming the header or field.</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || media.MediaType.Value is not { } type)
            return (null, Unsupported(request.ContentType));
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        if (!json && !YamlTypes.Contains(type, StringComparer.OrdinalIgnoreCase)) return (null, Unsupported(type));
        var limit = json ? maxBytes + (64 * 1024) : maxBytes;
        var bytes = await ReadBoundedAsync(request.Body, limit, ct).ConfigureAwait(false);
        if (bytes is null)
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large",
                detail: $"body: the workflow text is larger than {maxBytes:N0} bytes (VIRTFLOW_MAX_FILE_BYTES)"));
        string text;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, Invalid("body", "the body is not UTF-8 text"));
        }
        if (!json) return (text.StartsWith('\uFEFF') ? text[1..] : text, null);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("yaml", out var yaml) || yaml.ValueKind != JsonValueKind.String)
                return (null, Invalid("yaml", "the JSON body needs \"yaml\": the workflow's text as a string"));
            return (yaml.GetString(), null);
        }
        catch (JsonException e)
        {
            return (null, Invalid("body", $"the body is not JSON: {Contracts.Text.TerminalText.Safe(e.Message.Split(" Path:", 2)[0], 200)}"));
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(System.IO.Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await body.ReadAsync(chunk, ct).ConfigureAwait(false);
            if (read == 0) return buffer.ToArray();
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
    }

    private static IResult Unsupported(string? type) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type",
            detail: $"Content-Type: '{Contracts.Text.TerminalText.Safe(type ?? "(none)", 100)}' is not a workflow text: send text/yaml, application/yaml, or application/json {{\"yaml\": \"...\"}}");

    internal static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");
}
