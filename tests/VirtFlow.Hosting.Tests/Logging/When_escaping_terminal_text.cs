using System.Text.Json.Nodes;
using VirtFlow.Contracts.Text;

namespace VirtFlow.Hosting.Tests.Logging;

/// <summary><see cref="TerminalText"/>: what a terminal would act on becomes visible, long text is bounded.</summary>
public sealed class When_escaping_terminal_text
{
    [Theory]
    [InlineData("\u001b[2J\u001b]0;owned\u0007", "\\x1b[2J\\x1b]0;owned\\x07")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("csi\u009b31m", "csi\\u009b31m")]
    [InlineData("nul\0", "nul\\x00")]
    [InlineData("rtl\u202eexe.txt", "rtl\\u202eexe.txt")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    public void Control_characters_become_escapes(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public void Lone_surrogates_become_escapes()
    {
        // Not theory data: xunit would turn a lone surrogate into U+FFFD on the way.
        Assert.Equal("lone \\ud800 high", TerminalText.Escape("lone \ud800 high"));
        Assert.Equal("lone \\udc00 low", TerminalText.Escape("lone \udc00 low"));
        Assert.Equal("end \\ud83d", TerminalText.Escape("end \ud83d"));
    }

    [Theory]
    [InlineData("plain text: vda 45% ✓ naïve 日本")]
    [InlineData("emoji \ud83d\ude00 pair")]
    [InlineData("")]
    public void Printable_text_is_unchanged(string text) => Assert.Same(text, TerminalText.Escape(text));

    [Fact]
    public void Newlines_may_be_kept_for_multi_line_text() =>
        Assert.Equal("a\nb\\x1b", TerminalText.Escape("a\nb\u001b", keepNewlines: true));

    [Fact]
    public void Long_text_is_cut_and_says_how_much_is_left()
    {
        var text = new string('x', 250);
        Assert.Equal(new string('x', 200) + "…(+50 chars)", TerminalText.Bound(text));
        Assert.Equal("short", TerminalText.Bound("short"));
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var text = new string('x', 199) + "\ud83d\ude00" + "tail";
        Assert.Equal(new string('x', 199) + "…(+6 chars)", TerminalText.Bound(text));
    }

    [Fact]
    public void Safe_redacts_then_escapes_then_bounds()
    {
        var safe = TerminalText.Safe("amqp://u:secret@h/\u001b[2J" + new string('y', 300));
        Assert.StartsWith("amqp://u:***@h/\\x1b[2J", safe, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", safe, StringComparison.Ordinal);
        Assert.EndsWith("chars)", safe, StringComparison.Ordinal);
    }

    [Fact]
    public void JSON_keeps_its_meaning_with_bidirectional_overrides_escaped()
    {
        var json = "{\n  \"a\": \"x\u202ey\u2066\"\n}";
        var escaped = TerminalText.EscapeJson(json);
        Assert.Equal("{\n  \"a\": \"x\\u202ey\\u2066\"\n}", escaped);
        Assert.Equal("x\u202ey\u2066", JsonNode.Parse(escaped)!["a"]!.GetValue<string>());
    }
}
