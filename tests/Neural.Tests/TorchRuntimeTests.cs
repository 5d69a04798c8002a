using TorchSharp;
using static TorchSharp.torch;

namespace RadMah.Neural.Tests;

/// <summary>LibTorch loads in this process (on Debian 12 through deploy/torch-runtime.sh), trains, and trains reproducibly on pinned threads.</summary>
[Collection(LibTorchCollection.Name)]
public sealed class TorchRuntimeTests
{
    /// <summary>Trains a 2-16-1 network on XOR for a few hundred Adam steps from a seed; its final loss and its weights.</summary>
    private static (float Loss, float[] Weights, float[] Predictions) TrainXor(long seed)
    {
        TorchRuntime.UseThreads(1);
        torch.manual_seed(seed);
        using var inputs = torch.tensor(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2]);
        using var targets = torch.tensor(new float[] { 0, 1, 1, 0 }, [4, 1]);
        using var model = nn.Sequential(("hidden", nn.Linear(2, 16)), ("tanh", nn.Tanh()), ("out", nn.Linear(16, 1)), ("sigmoid", nn.Sigmoid()));
        using var optimizer = optim.Adam(model.parameters(), lr: 0.05);
        using var lossFunction = nn.BCELoss();
        var loss = 0f;
        for (var step = 0; step < 300; step++)
        {
            optimizer.zero_grad();
            using var output = model.forward(inputs);
            using var value = lossFunction.forward(output, targets);
            value.backward();
            optimizer.step();
            loss = value.item<float>();
        }
        using var _ = torch.no_grad();
        using var predictions = model.forward(inputs);
        var weights = model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        return (loss, weights, predictions.data<float>().ToArray());
    }

    [Fact]
    public void LibTorch_loads_and_a_small_network_learns_xor()
    {
        var (loss, _, predictions) = TrainXor(seed: 7);
        Assert.True(loss < 0.05f, $"final loss {loss}");
        Assert.Equal([false, true, true, false], predictions.Select(p => p > 0.5f));
    }

    [Fact]
    public void The_same_seed_and_thread_count_train_the_same_weights_and_another_seed_does_not()
    {
        var first = TrainXor(seed: 11);
        var second = TrainXor(seed: 11);
        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.Loss, second.Loss);
        Assert.NotEqual(first.Weights, TrainXor(seed: 12).Weights);
    }

    [Fact]
    public void Threads_are_refused_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.UseThreads(0));
    }
}
