namespace RadMah.Cli;

/// <summary>The radmah command's exit codes (also listed in the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The job ran but failed or was canceled.</summary>
    public const int JobDidNotSucceed = 1;
    /// <summary>Bad arguments or a request refused as invalid.</summary>
    public const int InvalidInput = 2;
    /// <summary>No API key, or the key was refused.</summary>
    public const int AuthenticationFailed = 3;
    /// <summary>No such job or artifact.</summary>
    public const int NotFound = 4;
    /// <summary>The gateway or cluster could not be reached.</summary>
    public const int Unavailable = 5;
    /// <summary>Not enough available credits.</summary>
    public const int InsufficientCredits = 6;
    /// <summary>The plan's rate limit was hit.</summary>
    public const int RateLimited = 7;
    /// <summary>--wait ran out of time.</summary>
    public const int Timeout = 8;
    /// <summary>`radmah verify`: a check failed (the reason is printed).</summary>
    public const int VerificationFailed = 9;
}
