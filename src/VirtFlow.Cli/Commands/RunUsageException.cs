namespace VirtFlow.Cli.Commands;

/// <summary>A command line that cannot be run (exit code 2); the message is one line, without the verb.</summary>
internal sealed class RunUsageException(string message) : Exception(message);
