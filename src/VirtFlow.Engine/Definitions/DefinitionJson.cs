using VirtFlow.Engine.Definitions.Parsing;

namespace VirtFlow.Engine.Definitions;

/// <summary>Canonical JSON of parts of a definition (the form its hash is made of).</summary>
public static class DefinitionJson
{
    /// <summary>The canonical JSON of one step, its children included: two steps with the same text here are the same step.</summary>
    public static string CanonicalStep(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return CanonicalJsonWriter.WriteStep(step);
    }
}
