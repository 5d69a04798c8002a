using RadMah.Engine.Simulation.Process;

namespace RadMah.Engine.Simulation;

/// <summary>
/// A run of historian samples as the simulator hands them to writers: per sample and tag the value
/// as an integer count of the tag's last decimal (sensors) or SWaT's status code (actuators), the
/// tags with bad quality, and which events were active.
/// </summary>
public sealed class SampleBlock(int capacity)
{
    public int Capacity { get; } = capacity;
    public int Count { get; internal set; }
    /// <summary>The index of the block's first sample in the run.</summary>
    public long FirstSample { get; internal set; }
    /// <summary>Row-major: sample i, tag t at [i * TagCount + t].</summary>
    public long[] Values { get; } = new long[capacity * SwatTags.Count];
    /// <summary>Per sample, a bit per tag (by index) whose quality is bad.</summary>
    public ulong[] BadQuality { get; } = new ulong[capacity];
    /// <summary>Per sample, the index of its set of active events in <see cref="PlantSimulator.EventSets"/> (0: none).</summary>
    public int[] EventSet { get; } = new int[capacity];

    public long Value(int sample, int tag) => Values[sample * SwatTags.Count + tag];

    /// <summary>A value in the tag's unit, exactly as its text parses (a count over a power of ten).</summary>
    public double Number(int sample, int tag) => Values[sample * SwatTags.Count + tag] / PlantSimulator.Scale[tag];
}
