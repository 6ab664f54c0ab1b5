using System.Text.Json;

namespace VirtFlow.Engine.Storage;

/// <summary>The VM list of a <see cref="HostRecord"/> as the stores keep it (a JSON array).</summary>
internal static class HostRecordJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(IReadOnlyList<HostVmRecord> vms) => JsonSerializer.Serialize(vms, Options);

    public static IReadOnlyList<HostVmRecord> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<HostVmRecord>>(json, Options) ?? [];
}
