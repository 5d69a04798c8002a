using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;

namespace RadMah.Neural.Tests;

/// <summary>TVAE on TabularEncoding's matrix: a short training learns a table's dependence and is reproducible on one thread.</summary>
[Collection(LibTorchCollection.Name)]
public sealed class TvaeTests
{
    /// <summary>Plans with amounts that depend on them: basic around 20, pro around 80.</summary>
    private static TableColumn[] Table(int rows)
    {
        var key = SplitMix64.SeedKey(6);
        var plan = new string?[rows];
        var amount = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var pro = rng.NextDouble() < 0.3;
            plan[i] = pro ? "pro" : "basic";
            amount[i] = Math.Round((pro ? 80 : 20) + 4 * rng.NextGaussian(), 2);
        }
        return [CategoricalColumn.FromValues("plan", plan), new NumericColumn("amount", amount, NumericRole.Decimal, 2)];
    }

    private static (IReadOnlyList<TableColumn> Synthetic, List<double> Losses) TrainAndSample(long seed, int epochs)
    {
        TorchRuntime.UseThreads(1);
        var table = Table(1_000);
        var encoding = TabularEncoding.Fit(table, seed: 1);
        using var model = new Tvae(encoding.Width, encoding.Spans, new TvaeOptions { Epochs = epochs, BatchSize = 100, Compress = [32, 32], Embedding = 16, Decompress = [32, 32] }, seed);
        model.Train(encoding.Encode(table, seed: 2), 1_000, seed, CancellationToken.None);
        return (encoding.Decode(model.Sample(2_000, seed + 100), 2_000), model.EpochLosses);
    }

    [Fact]
    public void A_short_training_learns_the_categories_frequencies_and_how_the_amount_follows_the_plan()
    {
        var (synthetic, losses) = TrainAndSample(seed: 3, epochs: 150);
        Assert.True(losses[^1] < losses[0], $"loss went from {losses[0]} to {losses[^1]}");
        var plan = (CategoricalColumn)synthetic[0];
        var amount = ((NumericColumn)synthetic[1]).Values;
        var pro = Enumerable.Range(0, plan.Length).Where(r => plan.ValueAt(r) == "pro").ToArray();
        var basic = Enumerable.Range(0, plan.Length).Where(r => plan.ValueAt(r) == "basic").ToArray();
        Assert.InRange((double)pro.Length / plan.Length, 0.2, 0.4);
        Assert.InRange(pro.Average(r => amount[r]), 70, 90);
        Assert.InRange(basic.Average(r => amount[r]), 10, 30);
    }

    [Fact]
    public void The_same_seed_on_one_thread_trains_and_samples_the_same_and_another_seed_does_not()
    {
        var first = TrainAndSample(seed: 5, epochs: 3);
        var second = TrainAndSample(seed: 5, epochs: 3);
        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(((NumericColumn)first.Synthetic[1]).Values, ((NumericColumn)second.Synthetic[1]).Values);
        Assert.NotEqual(((NumericColumn)first.Synthetic[1]).Values, ((NumericColumn)TrainAndSample(seed: 6, epochs: 3).Synthetic[1]).Values);
    }

    [Fact]
    public void A_canceled_training_stops_before_its_next_batch()
    {
        TorchRuntime.UseThreads(1);
        var table = Table(1_000);
        var encoding = TabularEncoding.Fit(table, seed: 1);
        using var model = new Tvae(encoding.Width, encoding.Spans, new TvaeOptions { Epochs = 1_000, BatchSize = 100 }, seed: 1);
        using var cancel = new CancellationTokenSource();
        var epochs = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => model.Train(encoding.Encode(table, seed: 2), 1_000, 1, cancel.Token, (epoch, _) =>
        {
            epochs = epoch;
            if (epoch == 2) cancel.Cancel();
        }));
        Assert.Equal(2, epochs);
    }
}
