using Acornima.Ast;
using Jint;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// An expression or script wrapped in a function of the scope's names and parsed once (engine-independent):
/// <c>(function(inputs,vars,steps,instance,LOCALS...){return(CODE\n)})</c> for an expression,
/// <c>(function(inputs,vars,steps,instance,LOCALS...){return[(function(){BODY\n}).call(undefined),vars]})</c>
/// for a script (so <c>return</c> works and a reassigned <c>vars</c> is seen).
/// </summary>
internal sealed class CompiledCode
{
    public const int CoreParameters = 4;

    public static readonly string[] CoreNames = ["inputs", "vars", "steps", "instance"];

    public CompiledCode(CodeKind kind, string code, string[] locals, Prepared<Script> script, int prefixLength, bool[] uses, bool straight)
    {
        Straight = straight;
        Kind = kind;
        Code = code;
        Locals = locals;
        Script = script;
        PrefixLength = prefixLength;
        Uses = uses;
    }

    public CodeKind Kind { get; }

    /// <summary>The code as the author wrote it.</summary>
    public string Code { get; }

    /// <summary>The names of the locals, after the core parameters.</summary>
    public string[] Locals { get; }

    public Prepared<Script> Script { get; }

    /// <summary>The length of the wrapper text before the author's code on its first line.</summary>
    public int PrefixLength { get; }

    /// <summary>No call, function, loop ... (<see cref="StraightCode"/>): it runs on the caller's thread, without the watchdog.</summary>
    public bool Straight { get; }

    /// <summary>Per parameter (core names, then locals): does the code mention it? Unmentioned ones are not converted.</summary>
    public bool[] Uses { get; }
}
