namespace VirtFlow.Engine.Expressions;

/// <summary>
/// The shared step views one scope sees, one slot per step of the definition (in its order; empty when the step has no
/// execution yet). The ids and their slots are the run's, shared by all its scopes; the slots are this scope's own.
/// </summary>
internal sealed class StepViewTable
{
    private readonly IReadOnlyList<string> _ids;
    private readonly IReadOnlyDictionary<string, int> _slots;
    private readonly SharedStepView?[] _views;

    /// <param name="ids">Every step id, in definition order.</param>
    /// <param name="slots">Each id's index in <paramref name="ids"/>.</param>
    public StepViewTable(IReadOnlyList<string> ids, IReadOnlyDictionary<string, int> slots)
    {
        _ids = ids;
        _slots = slots;
        _views = new SharedStepView?[ids.Count];
    }

    /// <summary>Slots, for <see cref="IdAt"/> and <see cref="ViewAt"/>.</summary>
    public int Count => _views.Length;

    public string IdAt(int slot) => _ids[slot];

    /// <summary>The view in a slot; null when that step has none.</summary>
    public SharedStepView? ViewAt(int slot) => _views[slot];

    public void Set(int slot, SharedStepView view) => _views[slot] = view;

    /// <summary>Sets the view of a step of the definition.</summary>
    public void Set(string stepId, SharedStepView view) => _views[_slots[stepId]] = view;
}
