namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>What a piece of code is: one expression, or statements run as a function body.</summary>
internal enum CodeKind
{
    Expression,
    Script,
}
