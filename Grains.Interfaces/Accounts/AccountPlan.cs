namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>Plans decide rate limits, queue routing and upload sizes.</summary>
public static class AccountPlan
{
    public const string Free = "free";
    public const string Pro = "pro";
    public const string Enterprise = "enterprise";

    public static readonly IReadOnlyList<string> All = [Free, Pro, Enterprise];

    /// <summary>The largest dataset an account of the plan may upload, enforced while the bytes arrive.</summary>
    public static long UploadLimitBytes(string plan) => plan switch
    {
        Free => 100L * 1000 * 1000,
        Pro => 10L * 1000 * 1000 * 1000,
        Enterprise => 100L * 1000 * 1000 * 1000,
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, "unknown plan"),
    };
}
