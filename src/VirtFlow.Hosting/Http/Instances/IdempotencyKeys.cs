using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// The <c>Idempotency-Key</c> header of a start: its rules and the hash of the request it names. How long a key holds:
/// <see cref="VirtFlowHttpOptions.IdempotencyKeyLifetime"/>; expired keys are deleted by <see cref="IdempotencySweep"/>.
/// </summary>
internal static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 200;

    /// <summary>Why the header's value is not a usable key, or null: 1 to 200 printable ASCII characters.</summary>
    public static string? Problem(string key) =>
        key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~')
            ? $"the {Header} header must be 1 to {MaxLength} printable ASCII characters without spaces"
            : null;

    /// <summary>SHA-256 of the request (workflow, version, inputs with object keys sorted, correlation id): the same start twice hashes the same.</summary>
    public static string RequestHash(StartInstanceRequest request)
    {
        var canonical = new JsonArray(request.Workflow, request.Version, Sorted(request.Inputs ?? new JsonObject()), request.CorrelationId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
