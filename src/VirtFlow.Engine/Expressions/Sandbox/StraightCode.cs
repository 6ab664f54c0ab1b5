using Acornima;
using Acornima.Ast;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// Recognizes straight code: no call, <c>new</c>, tagged template, function, class, getter, loop or <c>await</c>, so
/// nothing user-defined can run and every built-in it reaches implicitly (conversions, spread, <c>join</c>) is bounded by
/// the data and the memory limit. Such code (most template expressions: <c>inputs.vm</c>, <c>a &gt; 2 &amp;&amp; b</c>) runs on
/// the caller's thread; everything else goes through the <see cref="SandboxWatchdog"/>.
/// </summary>
internal static class StraightCode
{
    private static readonly HashSet<NodeType> Allowed =
    [
        NodeType.Identifier, NodeType.Literal, NodeType.MemberExpression, NodeType.ChainExpression, NodeType.BinaryExpression,
        NodeType.LogicalExpression, NodeType.UnaryExpression, NodeType.UpdateExpression, NodeType.ConditionalExpression,
        NodeType.TemplateLiteral, NodeType.TemplateElement, NodeType.ArrayExpression, NodeType.ObjectExpression, NodeType.Property,
        NodeType.SpreadElement, NodeType.SequenceExpression, NodeType.AssignmentExpression, NodeType.ParenthesizedExpression,
        NodeType.Program, NodeType.ExpressionStatement, NodeType.VariableDeclaration, NodeType.VariableDeclarator,
        NodeType.IfStatement, NodeType.BlockStatement, NodeType.ReturnStatement, NodeType.EmptyStatement,
    ];

    /// <summary>True when <paramref name="node"/> and everything under it is straight code.</summary>
    public static bool Is(Node node)
    {
        if (!Allowed.Contains(node.Type) || node is Property { Kind: not PropertyKind.Init } or Property { Method: true })
            return false;
        foreach (var child in node.ChildNodes)
        {
            if (!Is(child))
                return false;
        }

        return true;
    }
}
