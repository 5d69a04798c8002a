using System.Collections.Concurrent;
using System.Data.Common;
using RadMah.Artifacts;

namespace RadMah.Grains.Tests;

/// <summary>
/// Faults a test asks for, injected into a silo: grain calls that fail before they reach the grain
/// or whose reply is lost after it ran, and artifact stores whose promotions fail. Each rule fires
/// a given number of times, then lets calls through.
/// </summary>
public sealed class FaultInjection : IIncomingGrainCallFilter
{
    private sealed record Rule(Type Interface, string Method, bool AfterTheCall, Func<Exception> Fault)
    {
        public int Remaining;
    }

    private readonly ConcurrentQueue<Rule> _rules = new();
    private int _promotionFaults;
    private Func<Exception> _promotionFault = () => new InjectedStorageFault();

    /// <summary>Calls of <typeparamref name="T"/>.<paramref name="method"/> fail <paramref name="times"/> times before reaching the grain.</summary>
    public void FailBefore<T>(string method, int times, Func<Exception>? fault = null) => Add<T>(method, times, afterTheCall: false, fault);

    /// <summary>Calls of <typeparamref name="T"/>.<paramref name="method"/> run, then their reply is lost <paramref name="times"/> times.</summary>
    public void LoseReply<T>(string method, int times, Func<Exception>? fault = null) => Add<T>(method, times, afterTheCall: true, fault);

    /// <summary>
    /// The next <paramref name="times"/> promotions into the artifact store fail with <paramref name="fault"/>;
    /// by default as a restarting database would.
    /// </summary>
    public void FailPromotions(int times, Func<Exception>? fault = null)
    {
        _promotionFault = fault ?? (() => new InjectedStorageFault());
        Interlocked.Exchange(ref _promotionFaults, times);
    }

    public int Fired { get; private set; }

    private void Add<T>(string method, int times, bool afterTheCall, Func<Exception>? fault) =>
        _rules.Enqueue(new Rule(typeof(T), method, afterTheCall, fault ?? (() => new TimeoutException($"injected fault: {typeof(T).Name}.{method}"))) { Remaining = times });

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var rule = _rules.FirstOrDefault(r => r.Interface == context.InterfaceMethod?.DeclaringType && r.Method == context.InterfaceMethod?.Name && Volatile.Read(ref r.Remaining) > 0);
        if (rule is not null && !rule.AfterTheCall && Interlocked.Decrement(ref rule.Remaining) >= 0) Throw(rule);
        await context.Invoke();
        if (rule is not null && rule.AfterTheCall && Interlocked.Decrement(ref rule.Remaining) >= 0) Throw(rule);
    }

    private void Throw(Rule rule)
    {
        Fired++;
        throw rule.Fault();
    }

    /// <summary>An artifact store whose promotions fail while <see cref="FailPromotions"/> says so.</summary>
    public IArtifactStore Wrap(IArtifactStore store) => new FlakyStore(store, this);

    private sealed class FlakyStore(IArtifactStore inner, FaultInjection faults) : IArtifactStore
    {
        public StagingStream OpenStaging(string stagingKey, string name) => inner.OpenStaging(stagingKey, name);

        public Task PromoteAsync(StagedArtifact artifact, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref faults._promotionFaults) >= 0)
            {
                faults.Fired++;
                throw faults._promotionFault();
            }
            return inner.PromoteAsync(artifact, cancellationToken);
        }

        public Task DiscardStagingAsync(string stagingKey, CancellationToken cancellationToken = default) => inner.DiscardStagingAsync(stagingKey, cancellationToken);

        public bool Contains(string contentHash) => inner.Contains(contentHash);

        public Stream OpenRead(string contentHash) => inner.OpenRead(contentHash);
    }

    /// <summary>What a database connection terminated by a restarting server looks like to the code (SQLSTATE 57P01).</summary>
    public sealed class InjectedStorageFault() : DbException("injected fault: terminating connection due to administrator command")
    {
        public override bool IsTransient => true;
        public override string SqlState => "57P01";
    }
}
