using Orleans.Runtime.MembershipService.SiloMetadata;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Placement;

/// <summary>
/// Which queue tiers a silo serves and with how many slots, carried as Orleans silo metadata
/// ("radmah.slots.radmah-gpu" = "1"). A tier a silo does not list gets no work there.
/// </summary>
public static class SiloTiers
{
    public const string SlotsPrefix = "radmah.slots.";

    public static Dictionary<string, string> ToMetadata(IReadOnlyDictionary<string, int> slots) =>
        slots.Where(s => s.Value > 0).ToDictionary(s => SlotsPrefix + s.Key, s => s.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The silo's slots for <paramref name="tier"/>; 0 when it does not serve it.</summary>
    public static int SlotsFor(SiloMetadata metadata, string tier) =>
        metadata.Metadata.TryGetValue(SlotsPrefix + tier, out var value) && int.TryParse(value, out var slots) && slots > 0 ? slots : 0;

    /// <summary>Parses "default,gpu" (short or full tier names) into full tier names.</summary>
    public static IReadOnlyList<string> Parse(string list)
    {
        var tiers = new List<string>();
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = raw.StartsWith("radmah-", StringComparison.Ordinal) ? raw : "radmah-" + raw;
            if (!QueueTiers.All.Contains(name))
                throw new ArgumentException($"unknown queue tier '{raw}'; tiers: default, gpu, free, interactive.");
            if (!tiers.Contains(name)) tiers.Add(name);
        }
        if (tiers.Count == 0) throw new ArgumentException("a silo must serve at least one queue tier.");
        return tiers;
    }
}
