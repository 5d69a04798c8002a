namespace RadMah.Cli;

/// <summary>The radmah command's exit codes (also listed in the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The job ran but failed or was canceled.</summary>
    public const int JobDidNotSucceed = 1;
    /// <summary>Bad arguments or a refused request.</summary>
    public const int InvalidInput = 2;
}
