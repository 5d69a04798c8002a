using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;

namespace RadMah.Neural;

/// <summary>The ctgan family: TabularEncoding, then CTGAN trained for the epochs asked; model.json keeps the generator and the condition probabilities.</summary>
public sealed class CtganFamily : IModelFamily
{
    public string Name => ModelHyperparameters.Ctgan;

    public FittedModel Fit(IReadOnlyList<TableColumn> training, ModelFitSettings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.UseThreads(TorchRuntime.TrainingThreads);
        var options = CtganOptions.From(settings.Hyperparameters);
        var encoding = TabularEncoding.Fit(training, settings.Seed);
        using var matrix = EncodedTable.ToTensor(encoding, training, settings.Seed);
        var conditions = new ConditionSampler(encoding, training, options.LogFrequency);
        return Owned.Use(new Ctgan(encoding.Width, encoding.Spans, conditions.Width, options, settings.Seed), model =>
        {
            model.Train(matrix, conditions, settings.Seed, cancellationToken, (epoch, generator, discriminator) =>
                settings.Progress?.Invoke(new TrainingProgress(epoch, options.Epochs, new Dictionary<string, double> { ["generator"] = generator, ["discriminator"] = discriminator })), settings.Checkpoints);
            model.Freeze();
            return new FittedModel(Sampler(encoding, model, conditions, NetworkState.Save(model.SamplingState()), folded: true), new Dictionary<string, IReadOnlyList<double>>
            {
                ["generator"] = [.. model.GeneratorLosses],
                ["discriminator"] = [.. model.DiscriminatorLosses],
            });
        });
    }

    public IRowSampler Read(JsonObject json)
    {
        var encoding = TabularEncoding.FromJson(json["encoding"]!.AsObject());
        var network = json["network"]!.AsObject();
        var options = new CtganOptions
        {
            Embedding = network["embedding_dim"]!.GetValue<int>(),
            GeneratorDims = [.. network["generator_dim"]!.AsArray().Select(d => d!.GetValue<int>())],
            DiscriminatorDims = [1],
            Pac = 1,
        };
        var probabilities = (json["conditions"] as JsonArray ?? []).Select(p => p!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();
        var conditions = new ConditionSampler(encoding, null, logFrequency: true, probabilities);
        var weights = Convert.FromBase64String(json["weights"]!.GetValue<string>());
        return Owned.Use(new Ctgan(encoding.Width, encoding.Spans, conditions.Width, options, seed: 0), model =>
        {
            NetworkState.Load(model.SamplingState(), weights);
            model.Freeze();
            return Sampler(encoding, model, conditions, weights, folded: network["sampling"]?.GetValue<string>() == FoldedSampling);
        });
    }

    /// <summary>
    /// model.json's mark of a generator sampled through <see cref="FoldedGenerator"/>. Its rows differ from the module's
    /// in the last bits, so a model stored without the mark keeps sampling through the module, and its reruns stay byte-identical.
    /// </summary>
    private const string FoldedSampling = "folded_batch_norm";

    private static NeuralSampler Sampler(TabularEncoding encoding, Ctgan model, ConditionSampler conditions, byte[] weights, bool folded)
    {
        var json = new JsonObject
        {
            ["embedding_dim"] = model.Options.Embedding,
            ["generator_dim"] = new JsonArray([.. model.Options.GeneratorDims.Select(d => (JsonNode)d)]),
        };
        if (!folded)
            return new NeuralSampler(encoding, model.Options.Embedding, new ModuleNetwork(model.Generate, model, model.Options.Embedding, conditions.Width, encoding.Width), conditions, null, json, weights);
        json["sampling"] = FoldedSampling;
        var generator = model.FoldedGenerator();
        model.Dispose();
        return new NeuralSampler(encoding, model.Options.Embedding, generator, conditions, null, json, weights, vectorDraws: true);
    }
}
