namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>
/// The ids of steps written without <c>id:</c>, derived from their position so they stay the same
/// as long as the steps before them and their parents do (positions are 1-based):
/// <list type="bullet">
/// <item>a top-level step: <c>step-N</c> (<c>step-2</c>);</item>
/// <item>a nested step: <c>PARENT.SLOT.N</c>, where PARENT is the parent's id (written or derived) and SLOT
/// names the list it sits in: <c>steps</c> (sequence, forEach, while, the body of try), <c>then</c>,
/// <c>else</c>, <c>catch</c>, <c>finally</c>, <c>default</c>, <c>cases.C</c> (switch case C) or
/// <c>branches.B</c> (parallel branch B): <c>step-2.then.1</c>, <c>mirror.branches.2.1</c>.</item>
/// </list>
/// Written ids cannot contain dots, so only <c>step-N</c> can collide with one; the parser reports that.
/// </summary>
internal static class StepIds
{
    public static string Derive(string? parentId, string slot, int position) =>
        parentId is null ? $"step-{position}" : $"{parentId}.{slot}.{position}";
}
