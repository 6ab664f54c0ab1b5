using Jint;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// The statement limit of one evaluation (checked at every statement, reset by Jint at the start of
/// every call). Off until <see cref="Enabled"/>, like <see cref="SandboxLimits"/>.
/// </summary>
internal sealed class StatementBudget(int maxStatements) : Constraint
{
    private int _count;

    public bool Enabled { get; set; }

    public override void Check()
    {
        if (Enabled && ++_count > maxStatements)
            throw new SandboxLimitException(SandboxLimit.Statements);
    }

    public override void Reset() => _count = 0;
}
