using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage;

/// <summary>
/// The state document as the stores keep it: a header (the document, its <c>steps</c> object emptied) and one row per
/// entry of <c>steps</c>. A document whose <c>steps</c> is missing or not an object is kept whole in the header.
/// </summary>
internal static class StateDocument
{
    public const string StepsKey = "steps";

    /// <summary>Splits a whole document into its header and its entries (copies: the caller's nodes stay its own).</summary>
    public static (JsonObject Header, List<KeyValuePair<string, byte[]?>> Steps) Split(JsonObject document)
    {
        var header = new JsonObject();
        var steps = new List<KeyValuePair<string, byte[]?>>();
        foreach (var (key, value) in document)
        {
            if (key == StepsKey && value is JsonObject map)
            {
                header[key] = new JsonObject();
                foreach (var (path, entry) in map)
                {
                    // an entry that is not an object cannot be a row: such a document is kept whole
                    if (entry is not JsonObject row) return (StoreJson.Clone(document)!, []);
                    steps.Add(StateDelta.Entry(path, row));
                }
            }
            else header[key] = value?.DeepClone();
        }
        return (header, steps);
    }

    /// <summary>The header and the commit's entries: a delta as is, a whole document split.</summary>
    public static (JsonObject Header, IReadOnlyList<KeyValuePair<string, byte[]?>> Steps, bool Replace) Of(InstanceCommit commit)
    {
        if (commit.StateChanges is { } delta) return (delta.Header, delta.Steps, false);
        var (header, steps) = Split(commit.Instance.State);
        return (header, steps, true);
    }

    /// <summary>True when the header has a <c>steps</c> object to fill with the rows.</summary>
    public static bool HasSteps(JsonObject header) => header[StepsKey] is JsonObject;
}
