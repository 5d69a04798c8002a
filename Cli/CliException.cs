namespace RadMah.Cli;

/// <summary>A failure to report to the user with a specific exit code.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
