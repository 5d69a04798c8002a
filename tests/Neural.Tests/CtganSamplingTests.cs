using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RadMah.Engine.Randomness;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;
using TorchSharp;

namespace RadMah.Neural.Tests;

/// <summary>How a trained CTGAN is sampled: the folded generator, the vector draws, and models stored before them.</summary>
[Collection(LibTorchCollection.Name)]
public sealed class CtganSamplingTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    public void The_folded_generator_computes_what_the_generator_module_computes_in_eval_mode(int conditionWidth)
    {
        TorchRuntime.UseThreads(1);
        var spans = new[] { new EncodedSpan(0, SpanKind.Scalar, 0, 1), new EncodedSpan(0, SpanKind.OneHot, 1, 6) };
        using var model = new Ctgan(7, spans, conditionWidth, new CtganOptions { Embedding = 8, GeneratorDims = [16, 12], DiscriminatorDims = [16], Pac = 1 }, seed: 3);
        // Batch norm's running statistics as a training leaves them (a fresh network's are 0 and 1, which folding would not test).
        var random = new Random(5);
        using (torch.no_grad())
            foreach (var (name, statistic) in model.SamplingState().Where(s => s.Item1.Contains("running_")))
                statistic.copy_(torch.tensor(Enumerable.Range(0, (int)statistic.numel()).Select(_ => (float)(name.EndsWith("var") ? 0.2 + 3 * random.NextDouble() : random.NextDouble() - 0.5)).ToArray()));
        model.Freeze();
        using var folded = model.FoldedGenerator();

        const int rows = 1_500; // more than one of the folded generator's blocks
        var noise = Enumerable.Range(0, rows * 8).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var conditions = conditionWidth == 0 ? null : Enumerable.Range(0, rows).Select(_ => random.Next(conditionWidth)).ToArray();
        var output = new float[rows * 7];
        folded.Run(noise, conditions, rows, output);

        var input = new float[rows * (8 + conditionWidth)];
        for (var i = 0; i < rows; i++)
        {
            noise.AsSpan(i * 8, 8).CopyTo(input.AsSpan(i * (8 + conditionWidth)));
            if (conditions is not null) input[i * (8 + conditionWidth) + 8 + conditions[i]] = 1;
        }
        using var noGrad = torch.no_grad();
        using var tensor = torch.tensor(input, [rows, 8 + conditionWidth]);
        using var expected = model.Generate(tensor);
        var module = expected.data<float>().ToArray();
        Assert.All(Enumerable.Range(0, module.Length), i => Assert.True(Math.Abs(module[i] - output[i]) <= 1e-4 * (1 + Math.Abs(module[i])),
            $"output {i}: module {module[i]}, folded {output[i]}"));
        Assert.Contains(module, v => Math.Abs(v) > 0.5);
    }

    /// <summary>
    /// model.json files written by commit 55fc9d9 (before the folded generator and the vector draws), with the digest of
    /// the 3,000 rows they sampled then from seed 5 (tests/Neural.Tests/Fixtures). Trained on <see cref="Table"/>: its numbers
    /// written to 9 decimals show a change in the last bits of the network's outputs, which the amounts' 2 decimals hide.
    /// </summary>
    [Theory]
    [InlineData("ctgan", "EE4C6FB1823F475C39716C7B61E1F33D1BDC6070A775185A179898693D65DCB4")]
    [InlineData("tvae", "74AEC560D3E18F17D7717AA171DE69C597C6077C7030DCFE7679823E16050EC2")]
    public void Models_stored_before_the_folded_generator_sample_the_bytes_they_sampled_then(string family, string digest)
    {
        TorchRuntime.UseThreads(1);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", $"{family}-stored-before-folding.json")))!.AsObject();
        using var sampler = (NeuralSampler)NeuralModelTests.Family(family).Read(json);
        Assert.Equal(digest, RowsDigest(sampler.Sample(0, 3_000, SplitMix64.SeedKey(5))));
    }

    [Fact]
    public void A_new_ctgan_samples_through_the_folded_generator_the_rows_the_module_would_draw_to_within_float_precision()
    {
        var fitted = new CtganFamily().Fit(Table(400), NeuralModelTests.Settings("ctgan", seed: 4, epochs: 3), CancellationToken.None);
        var json = fitted.Sampler.ToJson();
        Assert.Equal("folded_batch_norm", json["network"]!["sampling"]!.GetValue<string>());
        var unmarked = json.DeepClone().AsObject();
        unmarked["network"]!.AsObject().Remove("sampling");

        var key = SplitMix64.SeedKey(12);
        var folded = fitted.Sampler.Sample(0, 2_000, key);
        var module = new CtganFamily().Read(unmarked).Sample(0, 2_000, key);
        Assert.NotEqual(RowsDigest(folded), RowsDigest(module));
        foreach (var column in new[] { 0, 1 })
        {
            var (a, b) = (((CategoricalColumn)folded[column]).Codes, ((CategoricalColumn)module[column]).Codes);
            Assert.True(Enumerable.Range(0, a.Length).Count(i => a[i] != b[i]) <= 20, $"{folded[column].Name}: categories differ on more than 1% of rows");
        }
        var (x, y) = (((NumericColumn)folded[2]).Values, ((NumericColumn)module[2]).Values);
        Assert.True(Enumerable.Range(0, x.Length).Count(i => Math.Abs(x[i] - y[i]) > 0.011) <= 20, "amounts differ by more than a cent on more than 1% of rows");
        var (r, q) = (((NumericColumn)folded[4]).Values, ((NumericColumn)module[4]).Values);
        Assert.True(Enumerable.Range(0, r.Length).Count(i => Math.Abs(r[i] - q[i]) > 1e-3) <= 20, "readings differ by more than 0.001 on more than 1% of rows");
    }

    [Fact]
    public void Sampling_runs_LibTorch_on_its_own_thread_alone_and_leaves_other_threads_counts_as_they_were()
    {
        TorchRuntime.UseThreads(2);
        using var otherSet = new ManualResetEventSlim();
        using var sampled = new ManualResetEventSlim();
        var otherInside = 0;
        var other = new Thread(() =>
        {
            TorchRuntime.UseThreads(2);
            otherSet.Set();
            sampled.Wait(TestContext.Current.CancellationToken);
            otherInside = torch.get_num_threads();
        });
        other.Start();
        otherSet.Wait(TestContext.Current.CancellationToken);
        int inside;
        using (TorchRuntime.SingleThreaded())
        {
            inside = torch.get_num_threads();
            sampled.Set();
            other.Join();
        }
        Assert.Equal(1, inside);
        Assert.Equal(2, otherInside);
        Assert.Equal(2, torch.get_num_threads());
    }

    /// <summary><see cref="NeuralModelTests.Table"/> and a reading written to 9 decimals.</summary>
    public static TableColumn[] Table(int rows)
    {
        var table = NeuralModelTests.Table(rows);
        var amounts = ((NumericColumn)table[2]).Values;
        return [.. table, new NumericColumn("reading", [.. amounts.Select((a, i) => Math.Round(a * 0.37 + Math.Sin(i), 9))], NumericRole.Decimal, 9)];
    }

    private static string RowsDigest(IReadOnlyList<TableColumn> columns)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var column in columns)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(column.Name));
            if (column is NumericColumn numbers) foreach (var v in numbers.Values) sha.AppendData(BitConverter.GetBytes(v));
            if (column is CategoricalColumn categories) foreach (var code in categories.Codes) sha.AppendData(BitConverter.GetBytes(code));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
