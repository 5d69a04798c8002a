using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Queues;

/// <summary>
/// One silo's CPU, shared by the tiers that run on it. Each tier's queue hands out its own slots,
/// so a silo serving interactive, default and free can be offered more work than it has cores;
/// this gate decides who computes first: interactive ahead of default, default ahead of free, and
/// arrival order within a tier. A job waits here still queued (its attempt begins after entry).
/// The gpu tier has its own hardware and passes straight through.
/// </summary>
public sealed class ComputeGate
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter>[] _waiting = [new(), new(), new()];
    private int _inUse;

    public ComputeGate(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Priority of a tier here: 0 runs first; null for tiers that do not share the CPU.</summary>
    public static int? RankOf(string tier) => tier switch
    {
        QueueTiers.Interactive => 0,
        QueueTiers.Default => 1,
        QueueTiers.Free => 2,
        _ => null,
    };

    /// <summary>Jobs waiting for the CPU, per tier.</summary>
    public int WaitingIn(string tier)
    {
        if (RankOf(tier) is not { } rank) return 0;
        lock (_gate) return _waiting[rank].Count;
    }

    /// <summary>Waits for a turn on the CPU; dispose the lease when the work is done.</summary>
    public Task<IDisposable> EnterAsync(string tier, CancellationToken cancellationToken)
    {
        if (RankOf(tier) is not { } rank) return Task.FromResult<IDisposable>(NoLease.Instance);
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            if (_inUse < Capacity)
            {
                _inUse++;
                return Task.FromResult<IDisposable>(new Lease(this));
            }
            waiter = new Waiter(rank);
            waiter.Node = _waiting[rank].AddLast(waiter);
        }
        if (cancellationToken.CanBeCanceled)
            waiter.Registration = cancellationToken.Register(() => Abandon(waiter, cancellationToken));
        return waiter.Turn.Task;
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null) return; // already handed a lease
            _waiting[waiter.Rank].Remove(waiter.Node);
        }
        waiter.Turn.TrySetCanceled(cancellationToken);
    }

    /// <summary>A freed place goes straight to the first waiter of the highest-priority tier.</summary>
    private void Exit()
    {
        Waiter? next = null;
        lock (_gate)
        {
            foreach (var line in _waiting)
            {
                if (line.First is not { } first) continue;
                line.RemoveFirst();
                next = first.Value;
                break;
            }
            if (next is null) _inUse--;
        }
        if (next is null) return;
        next.Registration.Dispose();
        next.Turn.TrySetResult(new Lease(this));
    }

    private sealed class Waiter(int rank)
    {
        public int Rank { get; } = rank;
        public TaskCompletionSource<IDisposable> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(ComputeGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Exit();
        }
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}
