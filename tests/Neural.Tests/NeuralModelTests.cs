using System.Security.Cryptography;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using TorchSharp;

namespace RadMah.Neural.Tests;

/// <summary>TVAE and CTGAN as model families: what a short training learns, reproducibility, reading back, cancel.</summary>
[Collection(LibTorchCollection.Name)]
public sealed class NeuralModelTests
{
    /// <summary>Plans with amounts that depend on them (basic around 20, pro around 80), a region, and a score with nulls.</summary>
    public static TableColumn[] Table(int rows, long seed = 6)
    {
        var key = SplitMix64.SeedKey((ulong)seed);
        var plan = new string?[rows];
        var region = new string?[rows];
        var amount = new double[rows];
        var score = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var rng = SplitMix64.ForCell(key, i, 0);
            var pro = rng.NextDouble() < 0.3;
            plan[i] = pro ? "pro" : "basic";
            region[i] = rng.NextDouble() < 0.5 ? "north" : "south";
            amount[i] = Math.Round((pro ? 80 : 20) + 4 * rng.NextGaussian(), 2);
            score[i] = rng.NextDouble() < 0.1 ? double.NaN : Math.Round(rng.NextDouble() * 10);
        }
        return
        [
            CategoricalColumn.FromValues("plan", plan), CategoricalColumn.FromValues("region", region),
            new NumericColumn("amount", amount, NumericRole.Decimal, 2), new NumericColumn("score", score, NumericRole.Integer),
        ];
    }

    public static IModelFamily Family(string name) => name == ModelHyperparameters.Tvae ? new TvaeFamily() : new CtganFamily();

    /// <summary>Small networks, so the tests stay fast; everything else at SDV's defaults.</summary>
    public static ModelFitSettings Settings(string family, long seed, int epochs, Action<TrainingProgress>? progress = null)
    {
        var given = family == ModelHyperparameters.Tvae
            ? new Dictionary<string, string> { ["epochs"] = $"{epochs}", ["batch_size"] = "100", ["compress_dims"] = "32,32", ["decompress_dims"] = "32,32", ["embedding_dim"] = "16" }
            : new Dictionary<string, string> { ["epochs"] = $"{epochs}", ["batch_size"] = "100", ["generator_dim"] = "64,64", ["discriminator_dim"] = "64,64", ["embedding_dim"] = "32" };
        var (resolved, problem) = ModelHyperparameters.Resolve(family, given);
        Assert.Null(problem);
        return new ModelFitSettings { Seed = seed, Hyperparameters = resolved!, Parallelism = 1, Progress = progress };
    }

    private static string Digest(IRowSampler sampler) => Convert.ToHexString(SHA256.HashData(((NeuralSampler)sampler).Weights));

    [Theory]
    [InlineData("tvae", 150)]
    [InlineData("ctgan", 300)]
    public void A_short_training_learns_the_plans_frequencies_and_how_the_amount_follows_the_plan(string family, int epochs)
    {
        var fitted = Family(family).Fit(Table(1_000), Settings(family, seed: 3, epochs), CancellationToken.None);
        var synthetic = fitted.Sampler.Sample(0, 2_000, SplitMix64.SeedKey(9));
        var plan = (CategoricalColumn)synthetic[0];
        var amount = ((NumericColumn)synthetic[2]).Values;
        var pro = Enumerable.Range(0, plan.Length).Where(r => plan.ValueAt(r) == "pro").ToArray();
        var basic = Enumerable.Range(0, plan.Length).Where(r => plan.ValueAt(r) == "basic").ToArray();
        Assert.InRange((double)pro.Length / plan.Length, 0.15, 0.45);
        Assert.True(pro.Average(r => amount[r]) - basic.Average(r => amount[r]) > 30,
            $"{family}: pro {pro.Average(r => amount[r]):0.0}, basic {basic.Average(r => amount[r]):0.0}");
        Assert.Equal(epochs, fitted.LossCurves.Values.First().Count);
    }

    [Theory]
    [InlineData("tvae")]
    [InlineData("ctgan")]
    public void A_two_epoch_model_samples_only_known_categories_numbers_within_range_and_nulls_where_the_table_has_them(string family)
    {
        var table = Table(300);
        var seen = new List<int>();
        var fitted = Family(family).Fit(table, Settings(family, seed: 1, epochs: 2, p => seen.Add(p.Epoch)), CancellationToken.None);
        Assert.Equal([1, 2], seen);
        var synthetic = fitted.Sampler.Sample(0, 1_000, SplitMix64.SeedKey(2));
        Assert.Equal(["plan", "region", "amount", "score"], synthetic.Select(c => c.Name));
        Assert.Equal(1_000, synthetic[0].Length);
        Assert.All(((CategoricalColumn)synthetic[0]).Codes, c => Assert.InRange(c, 0, 1));
        var amounts = ((NumericColumn)synthetic[2]).Values;
        var real = ((NumericColumn)table[2]).Values;
        Assert.All(amounts, a => Assert.InRange(a, real.Min(), real.Max()));
        Assert.All(amounts, a => Assert.Equal(Math.Round(a, 2), a));
        var scores = ((NumericColumn)synthetic[3]).Values;
        Assert.All(scores.Where(s => !double.IsNaN(s)), s => Assert.Equal(Math.Round(s), s));
        Assert.DoesNotContain(amounts, double.IsNaN);
    }

    [Theory]
    [InlineData("tvae")]
    [InlineData("ctgan")]
    public void The_same_seed_on_one_thread_gives_the_same_weights_and_rows_and_another_seed_does_not(string family)
    {
        var table = Table(400);
        var first = Family(family).Fit(table, Settings(family, seed: 5, epochs: 3), CancellationToken.None);
        var second = Family(family).Fit(table, Settings(family, seed: 5, epochs: 3), CancellationToken.None);
        var other = Family(family).Fit(table, Settings(family, seed: 6, epochs: 3), CancellationToken.None);
        Assert.Equal(Digest(first.Sampler), Digest(second.Sampler));
        Assert.NotEqual(Digest(first.Sampler), Digest(other.Sampler));
        Assert.Equal(first.LossCurves.Values.First(), second.LossCurves.Values.First());
        var key = SplitMix64.SeedKey(4);
        Assert.Equal(((NumericColumn)first.Sampler.Sample(0, 500, key)[2]).Values, ((NumericColumn)second.Sampler.Sample(0, 500, key)[2]).Values);
    }

    [Theory]
    [InlineData("tvae")]
    [InlineData("ctgan")]
    public void A_training_runs_on_one_libtorch_thread_whatever_the_silos_parallelism_and_writes_the_same_weights(string family)
    {
        var table = Table(400);
        var threads = new List<int>();
        var wide = Settings(family, seed: 5, epochs: 3, _ => threads.Add(torch.get_num_threads())) with { Parallelism = 4 };
        var onWide = Family(family).Fit(table, wide, CancellationToken.None);
        // The progress is reported on the training's thread, after each epoch.
        Assert.Equal([1, 1, 1], threads);
        var onOne = Family(family).Fit(table, Settings(family, seed: 5, epochs: 3), CancellationToken.None);
        Assert.Equal(Digest(onOne.Sampler), Digest(onWide.Sampler));
    }

    [Theory]
    [InlineData("tvae")]
    [InlineData("ctgan")]
    public void A_model_read_back_from_its_json_draws_the_same_rows_and_a_row_does_not_depend_on_its_batch(string family)
    {
        var fitted = Family(family).Fit(Table(300), Settings(family, seed: 2, epochs: 2), CancellationToken.None);
        var read = Family(family).Read(fitted.Sampler.ToJson());
        var key = SplitMix64.SeedKey(8);
        var original = fitted.Sampler.Sample(0, 700, key);
        var again = read.Sample(0, 700, key);
        Assert.Equal(((NumericColumn)original[2]).Values, ((NumericColumn)again[2]).Values);
        Assert.Equal(((CategoricalColumn)original[0]).Codes, ((CategoricalColumn)again[0]).Codes);
        // Rows 100..109 drawn alone, as a redraw draws them, are the rows drawn in the block.
        var alone = read.Redraw([.. Enumerable.Range(100, 10).Select(r => (long)r)], key);
        Assert.Equal(((CategoricalColumn)original[0]).Codes[100..110], ((CategoricalColumn)alone[0]).Codes);
        Assert.Equal(((NumericColumn)original[2]).Values[100..110], ((NumericColumn)alone[2]).Values, (a, b) => Math.Abs(a - b) <= 0.011);
    }

    [Theory]
    [InlineData("tvae")]
    [InlineData("ctgan")]
    public void A_canceled_training_stops_before_its_next_batch(string family)
    {
        using var cancel = new CancellationTokenSource();
        var epochs = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => Family(family).Fit(Table(1_000), Settings(family, seed: 1, epochs: 1_000, p =>
        {
            epochs = p.Epoch;
            if (p.Epoch == 2) cancel.Cancel();
        }), cancel.Token));
        Assert.Equal(2, epochs);
    }

    [Theory]
    [InlineData("tvae")]
    [InlineData("ctgan")]
    public void A_training_stopped_after_a_checkpoint_and_resumed_from_it_ends_with_the_weights_of_one_never_stopped(string family)
    {
        var table = Table(400);
        var uninterrupted = Family(family).Fit(table, Settings(family, seed: 7, epochs: 6), CancellationToken.None);

        byte[]? saved = null;
        var saves = new List<int>();
        var checkpoints = new TrainingCheckpoints(2, () => saved, state => saved = state);
        using var cancel = new CancellationTokenSource();
        var stopping = Settings(family, seed: 7, epochs: 6, p => { saves.Add(p.Epoch); if (p.Epoch == 5) cancel.Cancel(); }) with { Checkpoints = checkpoints };
        Assert.ThrowsAny<OperationCanceledException>(() => Family(family).Fit(table, stopping, cancel.Token));
        Assert.NotNull(saved);

        var epochs = new List<int>();
        var resumed = Family(family).Fit(table, Settings(family, seed: 7, epochs: 6, p => epochs.Add(p.Epoch)) with { Checkpoints = checkpoints }, CancellationToken.None);
        Assert.Equal([5, 6], epochs);
        Assert.Equal(Digest(uninterrupted.Sampler), Digest(resumed.Sampler));
        Assert.Equal(uninterrupted.LossCurves.Values.First(), resumed.LossCurves.Values.First());
    }

    [Fact]
    public void The_networks_give_one_output_per_encoded_float()
    {
        var table = Table(200);
        var encoding = Engine.Synthesis.Transformers.TabularEncoding.Fit(table, seed: 1);
        using var tvae = new Tvae(encoding.Width, encoding.Spans, new TvaeOptions { Embedding = 8, Compress = [16], Decompress = [16] }, seed: 1);
        using var latent = TorchSharp.torch.zeros(5, 8);
        using var decoded = tvae.Decode(latent);
        Assert.Equal([5L, encoding.Width], decoded.shape);
        var conditions = new ConditionSampler(encoding, table, logFrequency: true);
        Assert.Equal(4, conditions.Width);
        using var ctgan = new Ctgan(encoding.Width, encoding.Spans, conditions.Width, new CtganOptions { Embedding = 8, GeneratorDims = [16, 16], DiscriminatorDims = [16], Pac = 5 }, seed: 1);
        ctgan.Freeze();
        using var noise = TorchSharp.torch.zeros(5, 8 + conditions.Width);
        using var generated = ctgan.Generate(noise);
        Assert.Equal([5L, encoding.Width], generated.shape);
    }
}
