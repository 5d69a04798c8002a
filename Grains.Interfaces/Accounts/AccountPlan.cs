namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>Plans decide rate limits and, later, queue routing.</summary>
public static class AccountPlan
{
    public const string Free = "free";
    public const string Pro = "pro";
    public const string Enterprise = "enterprise";

    public static readonly IReadOnlyList<string> All = [Free, Pro, Enterprise];
}
