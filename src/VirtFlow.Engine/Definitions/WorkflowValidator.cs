using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions.Validation;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// The checks of a workflow that need more than its text: activity types and inputs against an
/// <see cref="IActivityCatalog"/> (with "did you mean"), literal input types and enums, expression syntax
/// (positions inside the file), <c>steps.X</c> references (the step exists, has an id of its own, and has
/// run before: not later, not in another parallel branch, not the step itself or one containing it),
/// <c>inputs.X</c> references to declared inputs, names an expression cannot see (warnings), and
/// <c>maxParallelism</c>, <c>maxIterations</c>, <c>retry.maxAttempts</c> ≥ 1.
/// </summary>
public static class WorkflowValidator
{
    /// <summary>
    /// The parser's diagnostics and the validator's, in file order. When the file had errors the validator
    /// still checks what could be read, so one run reports everything.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Validate(ParseResult result, IActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(catalog);
        if (result.Partial is null)
            return result.Diagnostics;
        var found = new DefinitionChecker(result.Partial, result.SourceMap, catalog).Run();
        return Diagnostic.Sort(result.Diagnostics.Concat(found));
    }

    /// <summary>The validator's diagnostics for a definition (positions from its steps' locations, when it has them).</summary>
    public static IReadOnlyList<Diagnostic> Validate(WorkflowDefinition definition, IActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        return Diagnostic.Sort(new DefinitionChecker(definition, SourceMap.Empty, catalog).Run());
    }
}
