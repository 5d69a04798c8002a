using System.Globalization;
using System.Text.RegularExpressions;
using RadMah.LoadGen;

namespace RadMah.LoadGen.Tests;

/// <summary>
/// The pause reader against a real process, this one: collections forced here must come back, over
/// EventPipe, as pauses of the generation collected, inside the time they happened and not outside it.
/// EventPipe's timestamps are converted to wall-clock time to about a millisecond, so the windows leave
/// a quiet margin on both sides.
/// </summary>
public sealed class NodeGcPausesTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Forced_blocking_gen2_collections_are_read_as_gen2_pauses_in_their_time_window()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var pauses = NodeGcPauses.Attach(Environment.ProcessId);
        var from = DateTime.UtcNow;
        await Task.Delay(Quiet, cancel);
        var collecting = DateTime.UtcNow;
        for (var i = 0; i < 3; i++) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        await Task.Delay(Quiet, cancel);
        var to = DateTime.UtcNow;
        await pauses.StopAsync();

        Assert.Equal(3, Count(pauses.Summarize(from, to), "gen2"));
        // The same pauses are not in a window that ends before the collections began.
        Assert.Equal(0, Count(pauses.Summarize(from, collecting - Quiet / 2), "gen2"));
    }

    [Fact]
    public async Task Forced_ephemeral_collections_are_read_as_gen0_or_gen1_pauses()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var pauses = NodeGcPauses.Attach(Environment.ProcessId);
        var from = DateTime.UtcNow;
        await Task.Delay(Quiet, cancel);
        for (var i = 0; i < 5; i++) GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        await Task.Delay(Quiet, cancel);
        var to = DateTime.UtcNow;
        await pauses.StopAsync();

        // The collector may raise a forced gen0 to gen1 (its own policy), never to gen2.
        var summary = pauses.Summarize(from, to);
        Assert.True(Count(summary, "gen0") + Count(summary, "gen1") >= 5, summary);
        Assert.Equal(0, Count(summary, "gen2"));
    }

    [Fact]
    public void Attaching_to_a_process_that_does_not_exist_is_refused()
    {
        Assert.ThrowsAny<Exception>(() => NodeGcPauses.Attach(int.MaxValue));
    }

    /// <summary>How many pauses of <paramref name="label"/> a summary line counts ("… (gen0 3, gen2 1): …").</summary>
    private static int Count(string summary, string label) =>
        Regex.Match(summary, $@"[(,] ?{label} (\d+)") is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
}
