using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>Source-generated (de)serialization of the state document.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(InstanceState))]
[JsonSerializable(typeof(StepState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;

/// <summary>Converts the state document from and to the JSON the store keeps: whole, or as the changes of a checkpoint.</summary>
internal static class StateJson
{
    /// <summary>The entries as the stores keep their JSON: non-ASCII text as is (see <see cref="StoreJson"/>).</summary>
    private static readonly StateJsonContext Entries = new(new JsonSerializerOptions(StateJsonContext.Default.Options)
    {
        Encoder = StoreJson.WriteOptions.Encoder,
    });

    public static InstanceState Read(JsonObject? json)
    {
        var state = json is null || json.Count == 0
            ? new InstanceState()
            : json.Deserialize(StateJsonContext.Default.InstanceState) ?? new InstanceState();
        state.Loaded();
        return state;
    }

    /// <summary>The whole document (for a reader; a checkpoint writes <see cref="Changes"/>).</summary>
    public static JsonObject Write(InstanceState state) =>
        JsonSerializer.SerializeToNode(state, StateJsonContext.Default.InstanceState)!.AsObject();

    /// <summary>Stands for the entries while the header is written; only read (serialized), never changed.</summary>
    private static readonly Dictionary<string, StepState> NoSteps = new(StringComparer.Ordinal);

    /// <summary>The document without its entries (<c>"steps": {}</c>).</summary>
    public static JsonObject WriteHeader(InstanceState state)
    {
        var steps = state.Steps;
        state.Steps = NoSteps;
        try
        {
            return Write(state);
        }
        finally
        {
            state.Steps = steps;
        }
    }

    /// <summary>
    /// What a checkpoint writes: the header, and the entries created, touched, or changed while open (an open activity
    /// entry always: its lists change in place). Nothing is marked saved until <see cref="Saved"/>.
    /// </summary>
    public static (StateDelta Delta, List<StepState> Written) Changes(InstanceState state)
    {
        var steps = new List<KeyValuePair<string, byte[]?>>();
        var written = new List<StepState>();
        foreach (var path in state.Open) Add(state, path, steps, written);
        foreach (var path in state.Touched)
        {
            if (!state.Open.Contains(path)) Add(state, path, steps, written);
        }
        return (new StateDelta { Header = WriteHeader(state), Steps = steps }, written);
    }

    /// <summary>After the commit of <see cref="Changes"/>: the written entries are saved, the open set is what is still open.</summary>
    public static void Saved(InstanceState state, List<StepState> written)
    {
        foreach (var step in written) step.SavedRevision = step.Revision;
        foreach (var path in state.Touched) state.Open.Add(path);
        state.Touched.Clear();
        state.Open.RemoveWhere(path => !state.Steps.TryGetValue(path, out var step) || step.Status.IsFinal());
    }

    private static void Add(InstanceState state, string path, List<KeyValuePair<string, byte[]?>> steps, List<StepState> written)
    {
        if (!state.Steps.TryGetValue(path, out var step))
        {
            steps.Add(KeyValuePair.Create(path, (byte[]?)null));
            return;
        }
        var alwaysWritten = !step.Status.IsFinal() && step.Type is not ("forEach" or StepState.IterationType);
        if (step.Revision == step.SavedRevision && !alwaysWritten) return;
        steps.Add(KeyValuePair.Create(path, (byte[]?)JsonSerializer.SerializeToUtf8Bytes(step, Entries.StepState)));
        written.Add(step);
    }
}
