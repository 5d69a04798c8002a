using RadMah.Grains.Interfaces.Queues;
using RadMah.Grains.Queues;

namespace RadMah.Grains.Tests;

public class ComputeGateTests
{
    [Fact]
    public async Task A_freed_place_goes_to_interactive_then_default_then_free_each_in_arrival_order()
    {
        var gate = new ComputeGate(1);
        var first = await gate.EnterAsync(QueueTiers.Default, TestContext.Current.CancellationToken);
        var order = new List<string>();
        async Task RunAsync(string tier, string name)
        {
            using var lease = await gate.EnterAsync(tier, TestContext.Current.CancellationToken);
            lock (order) order.Add(name);
        }
        var waiting = new[]
        {
            RunAsync(QueueTiers.Free, "free-1"),
            RunAsync(QueueTiers.Default, "default-1"),
            RunAsync(QueueTiers.Interactive, "interactive-1"),
            RunAsync(QueueTiers.Free, "free-2"),
            RunAsync(QueueTiers.Interactive, "interactive-2"),
        };
        Assert.Equal((2, 1, 2), (gate.WaitingIn(QueueTiers.Free), gate.WaitingIn(QueueTiers.Default), gate.WaitingIn(QueueTiers.Interactive)));
        Assert.Empty(order);
        first.Dispose();
        await Task.WhenAll(waiting);
        Assert.Equal(["interactive-1", "interactive-2", "default-1", "free-1", "free-2"], order);
    }

    [Fact]
    public async Task Up_to_capacity_enter_at_once_and_gpu_work_never_waits()
    {
        var gate = new ComputeGate(2);
        var a = await gate.EnterAsync(QueueTiers.Free, TestContext.Current.CancellationToken);
        var b = await gate.EnterAsync(QueueTiers.Default, TestContext.Current.CancellationToken);
        var third = gate.EnterAsync(QueueTiers.Interactive, TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);
        using (await gate.EnterAsync(QueueTiers.Gpu, TestContext.Current.CancellationToken)) Assert.False(third.IsCompleted);
        b.Dispose();
        b.Dispose(); // a second dispose frees nothing more
        (await third).Dispose();
        var fourth = gate.EnterAsync(QueueTiers.Default, TestContext.Current.CancellationToken);
        Assert.True(fourth.IsCompleted);
        var fifth = gate.EnterAsync(QueueTiers.Default, TestContext.Current.CancellationToken);
        Assert.False(fifth.IsCompleted);
        a.Dispose();
        (await fifth).Dispose();
        (await fourth).Dispose();
    }

    [Fact]
    public async Task A_canceled_waiter_leaves_the_line_and_takes_no_place()
    {
        var gate = new ComputeGate(1);
        var held = await gate.EnterAsync(QueueTiers.Default, TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var abandoned = gate.EnterAsync(QueueTiers.Interactive, cancel.Token);
        var next = gate.EnterAsync(QueueTiers.Free, TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(0, gate.WaitingIn(QueueTiers.Interactive));
        held.Dispose();
        (await next).Dispose();
        Assert.True(gate.EnterAsync(QueueTiers.Default, TestContext.Current.CancellationToken).IsCompletedSuccessfully);
    }

    [Fact]
    public void Capacity_must_be_positive() => Assert.Throws<ArgumentOutOfRangeException>(() => new ComputeGate(0));
}
