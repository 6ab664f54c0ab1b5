namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>An input of a built-in activity has a wrong value; the activity faults with this message (code <c>InvalidInput</c>).</summary>
internal sealed class ActivityInputException(string message) : Exception(message);
