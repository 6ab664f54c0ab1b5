using VirtFlow.Contracts.Text;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>Input echoed in an answer: bounded and escaped.</summary>
internal static class Texts
{
    public static string Bounded(string text) => TerminalText.Safe(text);
}
