namespace VirtFlow.Engine.Activities;

/// <summary>
/// The activity types known to an engine (the runtime's registry implements it): what the validator
/// checks steps against, and what the JSON Schema and the designer's palette are made from.
/// </summary>
public interface IActivityCatalog
{
    /// <summary>The descriptor of <paramref name="type"/> (as written after <c>type:</c>, case-sensitive), or null.</summary>
    ActivityDescriptor? Find(string type);

    /// <summary>Every known activity.</summary>
    IEnumerable<ActivityDescriptor> All { get; }
}
