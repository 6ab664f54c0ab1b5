using System.Collections.Immutable;
using Acornima;
using VirtFlow.Engine.Expressions;

namespace VirtFlow.Engine.Definitions.Validation;

/// <summary><c>lock:</c> is computed once, when the instance starts: it may use the inputs and the instance, nothing that runs later.</summary>
internal sealed partial class DefinitionChecker
{
    private const string LockPath = "lock";

    private void CheckLock(string text)
    {
        if (!ExpressionTemplate.TryParse(text, out var template, out var error))
        {
            Error(null, LockPath, $"the workflow's lock: {error!.Message}", error.Offset);
            return;
        }

        foreach (var part in template.Parts.Where(p => p.IsExpression))
        {
            ExpressionAnalysis analysis;
            try
            {
                analysis = new ExpressionAnalysis(JsSyntax.ParseExpression(part.Text));
            }
            catch (ParseErrorException e)
            {
                var at = e.Error.IsIndexDefined ? e.Error.Index : 0;
                Error(null, LockPath, $"the workflow's lock: syntax error in expression '{Shorten(part.Text)}': {e.Description ?? e.Message}", part.Offset + at);
                continue;
            }

            foreach (var name in new[] { "steps", "vars" })
            {
                foreach (var (_, at) in analysis.Chains(name))
                    Error(null, LockPath, $"the workflow's lock is computed when the instance starts: it can use inputs and instance, not '{name}'", part.Offset + at);
            }
            foreach (var (path, at) in analysis.Chains("inputs"))
                CheckInputReference(path, null, LockPath, part.Offset + at);
        }
    }
}
