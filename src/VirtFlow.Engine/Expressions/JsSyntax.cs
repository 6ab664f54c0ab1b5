using Acornima;
using Acornima.Ast;

namespace VirtFlow.Engine.Expressions;

/// <summary>Parsing JavaScript with Jint's parser (Acornima), strict mode, as the evaluator runs it.</summary>
internal static class JsSyntax
{
    private static readonly ParserOptions ScriptOptions = new() { AllowReturnOutsideFunction = true };

    /// <summary>Parses one expression (nothing may follow it); throws <see cref="ParseErrorException"/>.</summary>
    public static Expression ParseExpression(string code) => new Parser().ParseExpression(code, null, strict: true);

    /// <summary>Parses statements that may <c>return</c>; throws <see cref="ParseErrorException"/>.</summary>
    public static Script ParseScript(string code) => new Parser(ScriptOptions).ParseScript(code, null, strict: true);

    public static IReadOnlyList<ExpressionSyntaxError> Check(string code, bool isScript)
    {
        try
        {
            if (isScript)
                ParseScript(code);
            else
                ParseExpression(code);
            return [];
        }
        catch (ParseErrorException e)
        {
            return [ToError(e)];
        }
    }

    /// <summary>Acornima's error with a 1-based column.</summary>
    public static ExpressionSyntaxError ToError(ParseErrorException e) =>
        new(e.Description ?? e.Message, Math.Max(1, e.LineNumber), Math.Max(1, e.Column + 1));
}
