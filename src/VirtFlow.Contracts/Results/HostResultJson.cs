using System.Text.Json;

namespace VirtFlow.Contracts;

/// <summary>Reads and writes <see cref="CommandResult.ResultJson"/>: camelCase, the result types of this folder.</summary>
public static class HostResultJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The result of <paramref name="result"/> as <typeparamref name="T"/>, or null when it has none.</summary>
    public static T? Read<T>(CommandResult result) where T : class
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ResultJson is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json, Options) : null;
    }
}
