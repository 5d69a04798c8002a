using System.Diagnostics;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Copula;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Tests.Synthesis;

/// <summary>A canceled job's fit gives its cores back promptly: the fit checks its token between bounded pieces of work.</summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class CancellationTests
{
    [Fact]
    public void A_fit_that_is_canceled_stops_within_a_second()
    {
        const int rows = 1_500_000;
        var key = SplitMix64.SeedKey(1);
        var columns = Enumerable.Range(0, 12).Select(c =>
        {
            var values = new double[rows];
            for (var r = 0; r < rows; r++) values[r] = Math.Round(SplitMix64.ForCell(key, r, c).NextGaussian() * (c + 1), 2);
            return (TableColumn)new NumericColumn($"c{c}", values, NumericRole.Decimal, 2);
        }).ToArray();
        using var cancel = new CancellationTokenSource();
        var fitting = Task.Run(() => GaussianCopula.Fit(columns, seed: 1, parallelism: 2, cancellationToken: cancel.Token));
        // Let the fit get going (it takes seconds on this table), then cancel it.
        Thread.Sleep(300);
        Assert.False(fitting.IsCompleted, "the fit must still be running when it is canceled");
        var watch = Stopwatch.StartNew();
        cancel.Cancel();
        var error = Assert.ThrowsAny<OperationCanceledException>(() => fitting.GetAwaiter().GetResult());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"the fit stopped {watch.Elapsed.TotalMilliseconds:N0} ms after it was canceled");
        Assert.Equal(cancel.Token, error.CancellationToken);
    }
}
