using System.Text.Json.Nodes;
using RadMah.Engine.Synthesis.Models;
using RadMah.Engine.Synthesis.Tables;
using RadMah.Engine.Synthesis.Transformers;

namespace RadMah.Neural;

/// <summary>The tvae family: TabularEncoding, then TVAE trained for the epochs asked; model.json keeps the decoder.</summary>
public sealed class TvaeFamily : IModelFamily
{
    public string Name => ModelHyperparameters.Tvae;

    public FittedModel Fit(IReadOnlyList<TableColumn> training, ModelFitSettings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.UseThreads(TorchRuntime.TrainingThreads);
        var options = TvaeOptions.From(settings.Hyperparameters);
        var encoding = TabularEncoding.Fit(training, settings.Seed);
        using var matrix = EncodedTable.ToTensor(encoding, training, settings.Seed);
        return Owned.Use(new Tvae(encoding.Width, encoding.Spans, options, settings.Seed), model =>
        {
            model.Train(matrix, settings.Seed, cancellationToken, (epoch, reconstruction, kl) =>
                settings.Progress?.Invoke(new TrainingProgress(epoch, options.Epochs, new Dictionary<string, double> { ["reconstruction"] = reconstruction, ["kl"] = kl })), settings.Checkpoints);
            model.Freeze();
            return new FittedModel(Sampler(encoding, model, NetworkState.Save(model.SamplingState())), new Dictionary<string, IReadOnlyList<double>>
            {
                ["reconstruction"] = [.. model.ReconstructionLosses],
                ["kl"] = [.. model.KlLosses],
            });
        });
    }

    public IRowSampler Read(JsonObject json)
    {
        var encoding = TabularEncoding.FromJson(json["encoding"]!.AsObject());
        var network = json["network"]!.AsObject();
        var options = new TvaeOptions
        {
            Embedding = network["embedding_dim"]!.GetValue<int>(),
            Decompress = [.. network["decompress_dims"]!.AsArray().Select(d => d!.GetValue<int>())],
            Compress = [1],
        };
        var weights = Convert.FromBase64String(json["weights"]!.GetValue<string>());
        return Owned.Use(new Tvae(encoding.Width, encoding.Spans, options, seed: 0), model =>
        {
            NetworkState.Load(model.SamplingState(), weights);
            model.Freeze();
            return Sampler(encoding, model, weights);
        });
    }

    private static NeuralSampler Sampler(TabularEncoding encoding, Tvae model, byte[] weights) =>
        new(encoding, model.Options.Embedding, new ModuleNetwork(model.Decode, model, model.Options.Embedding, 0, encoding.Width), null, model.Sigmas(), new JsonObject
        {
            ["embedding_dim"] = model.Options.Embedding,
            ["decompress_dims"] = new JsonArray([.. model.Options.Decompress.Select(d => (JsonNode)d)]),
        }, weights);
}
