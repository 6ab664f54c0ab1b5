namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>Identifies a compiled piece of code: its kind, text and the names of the locals it is given.</summary>
internal readonly record struct CodeKey(CodeKind Kind, string Code, string Locals);
