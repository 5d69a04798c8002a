using RadMah.Grains.Queues;
using RadMah.Grains.Records;

namespace RadMah.Grains.Tests;

public sealed class TierLineTests
{
    [Fact]
    public void Jobs_start_in_arrival_order_and_jobs_sent_back_go_to_the_front()
    {
        var line = new TierLine([]);
        foreach (var id in new[] { "a", "b", "c", "d" }) line.AddToBack(id);
        Assert.Equal("a", line.StartFirst("s1"));
        Assert.Equal("b", line.StartFirst("s2"));
        line.AddToFront("a");
        Assert.Equal(["a", "c", "d"], line.Waiting);
        Assert.Equal(new Dictionary<string, string> { ["b"] = "s2" }, line.RunningOn);
        Assert.True(line.Remove("c"));
        Assert.True(line.Remove("b"));
        Assert.False(line.Remove("b"));
        Assert.Equal(["a", "d"], line.Waiting);
        Assert.Empty(line.RunningOn);
    }

    [Fact]
    public void A_write_carries_only_the_last_state_of_each_job_changed_since_the_one_before()
    {
        var line = new TierLine([new QueueLineRow("old", 5, null), new QueueLineRow("busy", 2, "s1")]);
        Assert.False(line.HasChanges);
        line.AddToBack("new");
        Assert.Equal("old", line.StartFirst("s1"));
        line.Remove("busy");
        var changes = line.TakeChanges().OrderBy(c => c.JobId, StringComparer.Ordinal).ToArray();
        Assert.Equal([new QueueLineChange("busy", null), new QueueLineChange("new", new QueueLineRow("new", 6, null)), new QueueLineChange("old", new QueueLineRow("old", 5, "s1"))], changes);
        Assert.False(line.HasChanges);
        Assert.Empty(line.TakeChanges());
    }

    [Fact]
    public void A_line_read_back_from_its_rows_is_the_line_that_wrote_them()
    {
        var line = new TierLine([]);
        var stored = new Dictionary<string, QueueLineRow>();
        void Store()
        {
            foreach (var change in line.TakeChanges())
                if (change.Row is { } row) stored[change.JobId] = row;
                else stored.Remove(change.JobId);
        }
        for (var i = 0; i < 50; i++) line.AddToBack($"j{i}");
        for (var i = 0; i < 10; i++) line.StartFirst($"s{i % 3}");
        Store();
        line.AddToFront("j3");
        line.Remove("j20");
        line.AddToFront("j40");
        Store();
        var again = new TierLine(stored.Values);
        Assert.Equal(line.Waiting, again.Waiting);
        Assert.Equal(line.RunningOn.OrderBy(r => r.Key), again.RunningOn.OrderBy(r => r.Key));
        // Positions continue past the stored ones at both ends.
        again.AddToBack("last");
        again.AddToFront("first");
        Assert.Equal("first", again.Waiting.First());
        Assert.Equal("last", again.Waiting.Last());
    }
}
