using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace RadMah.LoadGen;

/// <summary>
/// The node's stop-the-world pauses, read from outside its process through the runtime's EventPipe (the same
/// GC events dotnet-trace collects): each pause runs from the runtime's "suspend" to its "restart" event and is
/// labelled with the collections that started inside it. A p99 of a few milliseconds is hostage to pauses
/// like these, so the load generator prints them next to the latencies it measured over the same time.
/// </summary>
public sealed class NodeGcPauses : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Task _reader;
    private readonly List<Pause> _pauses = [];
    private readonly List<DateTime> _backgroundThreadStarts = [];
    private DateTime? _suspendedAt;
    private bool _suspendedForGc;
    private readonly List<(int Generation, GCType Type)> _startedInPause = [];
    private bool _backgroundGcRunning;

    /// <summary>One suspension of the node's managed threads.</summary>
    /// <param name="Generation">the oldest generation collected by a GC that started in it; -1 if none did (the final phase of a background gen2)</param>
    /// <param name="Background">a background gen2 started in it or was running</param>
    /// <param name="ForGc">suspended for a collection (not, say, for the JIT's call counting)</param>
    public sealed record Pause(DateTime StartUtc, double Milliseconds, int Generation, bool Background, bool ForGc);

    private NodeGcPauses(int processId)
    {
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
                (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Threading)),
        };
        _session = new DiagnosticsClient(processId).StartEventPipeSession(providers, requestRundown: false);
        var source = new EventPipeEventSource(_session.EventStream);
        source.Clr.GCSuspendEEStart += e =>
        {
            lock (_pauses)
            {
                _suspendedAt = e.TimeStamp.ToUniversalTime();
                _suspendedForGc = e.Reason is GCSuspendEEReason.SuspendForGC or GCSuspendEEReason.SuspendForGCPrep;
                _startedInPause.Clear();
            }
        };
        source.Clr.GCStart += e =>
        {
            lock (_pauses)
            {
                _startedInPause.Add((e.Depth, e.Type));
                if (e.Type == GCType.BackgroundGC) _backgroundGcRunning = true;
            }
        };
        source.Clr.GCStop += e => { lock (_pauses) if (e.Depth == 2) _backgroundGcRunning = false; };
        source.Clr.GCRestartEEStop += e =>
        {
            lock (_pauses)
            {
                if (_suspendedAt is not { } start) return;
                var end = e.TimeStamp.ToUniversalTime();
                var generation = _startedInPause.Count == 0 ? -1 : _startedInPause.Max(s => s.Generation);
                var background = _backgroundGcRunning || _startedInPause.Any(s => s.Type == GCType.BackgroundGC);
                _pauses.Add(new Pause(start, (end - start).TotalMilliseconds, generation, background, _suspendedForGc));
                _suspendedAt = null;
            }
        };
        // Workstation GC's background thread exits when idle; a gen2 that has to create it again may run blocking.
        source.Clr.GCCreateConcurrentThread += e => { lock (_pauses) _backgroundThreadStarts.Add(e.TimeStamp.ToUniversalTime()); };
        _reader = Task.Run(source.Process);
    }

    /// <summary>Starts reading the GC events of the process <paramref name="processId"/> (a .NET process of this user).</summary>
    public static NodeGcPauses Attach(int processId) => new(processId);

    /// <summary>The pauses that started between <paramref name="fromUtc"/> and <paramref name="toUtc"/>, in a line.</summary>
    public string Summarize(DateTime fromUtc, DateTime toUtc)
    {
        List<Pause> pauses;
        int threadStarts;
        lock (_pauses)
        {
            pauses = [.. _pauses.Where(p => p.StartUtc >= fromUtc && p.StartUtc < toUtc)];
            threadStarts = _backgroundThreadStarts.Count(t => t >= fromUtc && t < toUtc);
        }
        if (pauses.Count == 0) return "no pauses";
        var ms = pauses.Select(p => p.Milliseconds).Order().ToList();
        var longest = pauses.MaxBy(p => p.Milliseconds)!;
        var byGeneration = string.Join(", ", pauses.GroupBy(Label).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}"));
        return $"{pauses.Count} pauses ({byGeneration}): p50 {Latencies.Percentile(ms, 0.5):F1} ms, p99 {Latencies.Percentile(ms, 0.99):F1} ms, max {longest.Milliseconds:F1} ms " +
               $"({Label(longest)}{(longest.Generation >= 0 && longest.Background ? ", background gen2 running" : "")}), " +
               $"{ms.Sum():F0} ms in all; background GC thread started {threadStarts}×";
    }

    /// <summary>gen0, gen1, gen2; bgc-final for the closing pause of a background gen2; other for a suspension that is not for a collection.</summary>
    private static string Label(Pause pause) =>
        !pause.ForGc ? "other" : pause.Generation < 0 ? "bgc-final" : $"gen{pause.Generation}";

    /// <summary>
    /// Ends the session and waits until every event the process had sent is read, so a summary taken afterwards
    /// misses none of the pauses that came before (EventPipe hands events over in batches).
    /// </summary>
    public async Task StopAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (ServerNotAvailableException)
        {
            // The process has exited: nothing more will arrive.
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _session.Dispose();
}
