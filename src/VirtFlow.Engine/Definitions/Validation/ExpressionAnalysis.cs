using Acornima.Ast;

namespace VirtFlow.Engine.Definitions.Validation;

/// <summary>
/// What a parsed expression or script uses: names it reads without declaring them (free names), and
/// chains of member accesses starting at a name (<c>steps.copy.outputs.job</c>, <c>inputs['vm']</c>),
/// each with its offset in the code. Declarations are gathered over the whole code (an
/// over-approximation: a name declared anywhere is never reported as free).
/// </summary>
internal sealed class ExpressionAnalysis
{
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private readonly List<(string Name, int Offset)> _references = [];
    private readonly Dictionary<Node, Node> _parents = new(ReferenceEqualityComparer.Instance);
    private readonly List<Identifier> _referenceNodes = [];

    public ExpressionAnalysis(Node root)
    {
        Walk(root, null);
        FreeNames = _references.Where(r => !_declared.Contains(r.Name)).ToList();
    }

    /// <summary>Names read but declared nowhere in the code, with their offsets.</summary>
    public IReadOnlyList<(string Name, int Offset)> FreeNames { get; }

    /// <summary>
    /// For every free use of <paramref name="root"/>: the names accessed after it (<c>steps.a.outputs.x</c> →
    /// <c>[a, outputs, x]</c>, stopping at the first computed non-literal access) and the offset of the first.
    /// </summary>
    public IEnumerable<(IReadOnlyList<string> Path, int Offset)> Chains(string root)
    {
        if (_declared.Contains(root))
            yield break;
        foreach (var id in _referenceNodes.Where(i => i.Name == root))
        {
            var path = new List<string>();
            var offset = id.End;
            Node current = id;
            while (_parents.TryGetValue(current, out var parent) && parent is MemberExpression m && ReferenceEquals(m.Object, current))
            {
                var name = m.Property switch
                {
                    Identifier p when !m.Computed => p.Name,
                    StringLiteral s => s.Value,
                    _ => null,
                };
                if (name is null)
                    break;
                if (path.Count == 0)
                    offset = m.Property.Start;
                path.Add(name);
                current = m;
            }

            yield return (path, offset);
        }
    }

    private void Walk(Node node, Node? parent)
    {
        if (parent is not null)
            _parents[node] = parent;
        if (node is Identifier id)
        {
            Classify(id, parent);
            return;
        }

        foreach (var child in node.ChildNodes)
            Walk(child, node);
    }

    private void Classify(Identifier id, Node? parent)
    {
        switch (parent)
        {
            case MemberExpression m when ReferenceEquals(m.Property, id) && !m.Computed:
            case Property p when ReferenceEquals(p.Key, id) && !p.Computed && !p.Shorthand:
            case MethodDefinition md when ReferenceEquals(md.Key, id) && !md.Computed:
            case PropertyDefinition pd when ReferenceEquals(pd.Key, id) && !pd.Computed:
            case LabeledStatement or BreakStatement or ContinueStatement or MetaProperty:
                return;
            case VariableDeclarator v when ReferenceEquals(v.Id, id):
            case IFunction f when ReferenceEquals(f.Id, id) || f.Params.Contains(id):
            case ClassDeclaration or ClassExpression:
            case CatchClause:
            case ArrayPattern or RestElement:
            case AssignmentPattern ap when ReferenceEquals(ap.Left, id):
            case Property when parent is not null && _parents.TryGetValue(parent, out var grand) && grand is ObjectPattern:
                _declared.Add(id.Name);
                return;
            default:
                _references.Add((id.Name, id.Start));
                _referenceNodes.Add(id);
                return;
        }
    }
}
