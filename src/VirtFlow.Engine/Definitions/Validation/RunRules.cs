namespace VirtFlow.Engine.Definitions.Validation;

/// <summary>
/// What the engine needs of a definition to run it, beyond what the reader checks: the one list both sides read, so
/// <c>virtflow validate</c> (through <see cref="DefinitionChecker"/>, at the field's file:line:col) reports everything the
/// engine's preparation (<c>DefinitionIndex</c>) would refuse.
/// </summary>
internal static class RunRules
{
    /// <summary>One broken rule: the step, the field (a <see cref="SourceMap"/> path) and why.</summary>
    internal readonly record struct Broken(StepDefinition Step, string Field, string Message);

    /// <summary>The rules <paramref name="step"/> breaks on its own (not counting its children).</summary>
    public static IEnumerable<Broken> Check(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Retry is not null && step is not ActivityStep)
            yield return new Broken(step, "retry",
                $"'retry' is supported on activity steps only, not on {step.Type} '{step.Id}' (put it on the activity steps inside, or wrap them in a try)");
        if (step.Id.AsSpan().IndexOfAny("/[]#") >= 0)
            yield return new Broken(step, "id", $"step id '{step.Id}' must not contain '/', '[', ']' or '#'");
    }
}
