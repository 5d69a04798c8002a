namespace RadMah.Grains.Interfaces.Queues;

/// <summary>The queue tiers of the product page.</summary>
public static class QueueTiers
{
    public const string Default = "radmah-default";
    public const string Gpu = "radmah-gpu";
    public const string Free = "radmah-free";
    public const string Interactive = "radmah-interactive";

    public static readonly IReadOnlyList<string> All = [Default, Gpu, Free, Interactive];
}
