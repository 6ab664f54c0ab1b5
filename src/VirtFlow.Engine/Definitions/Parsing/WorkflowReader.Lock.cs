using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary><c>lock:</c>, the resource an instance holds while it runs.</summary>
internal sealed partial class WorkflowReader
{
    /// <summary>
    /// The lock template: text, usually with <c>${ }</c> over the inputs. Its expressions are checked by the validator
    /// (the source map remembers where it was written, under the path <c>lock</c>).
    /// </summary>
    private string? ReadLock(YamlNode node)
    {
        if (ReadString(node, "'lock'") is not { } text)
            return null;
        ToJson(node, null, "lock");
        if (string.IsNullOrWhiteSpace(text))
        {
            Error(node, "'lock' must name a resource, e.g. \"vm:${ inputs.host }/${ inputs.vm }\"");
            return null;
        }
        return text;
    }
}
