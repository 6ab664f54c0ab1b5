namespace VirtFlow.Engine.Activities;

/// <summary>
/// An input of an activity has a wrong value: the step faults with this message (code <c>InvalidInput</c>). The message
/// names the input, and the item and field within it (<c>input 'disks': item 2 has no 'target'</c>).
/// </summary>
public class ActivityInputException(string message) : Exception(message);
