using TorchSharp;

namespace RadMah.Neural;

/// <summary>
/// Starts LibTorch for a process: the device the neural models run on (CUDA when TorchSharp reports
/// it, the CPU otherwise) and the threads they may use. Loading fails on a system whose libstdc++ is
/// older than LibTorchSharp needs (GLIBCXX_3.4.32, e.g. Debian 12); TorchSharp then reports a missing
/// package, which is not the cause, so the error here names the cause and the fix.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static torch.Device? _device;

    /// <summary>The device models run on; loads LibTorch on first use.</summary>
    public static torch.Device Device
    {
        get
        {
            lock (Gate)
            {
                return _device ??= Load();
            }
        }
    }

    /// <summary>
    /// LibTorch threads a training runs on, whatever the silo's cores: one. With two, a training's sums
    /// depend on the thread count (a rerun on a silo of other cores would write another model) and, even
    /// at the same count, not always on the data alone: a TVAE resumed from its checkpoint in a new
    /// process came out with other weights in 1 of 10 to 15 runs, from its first epoch on, and never on
    /// one thread (30 of 30; `RadMah.NeuralBench resume-job`). On one thread the weights are those two
    /// threads give when they agree, in the same time on this 2-core machine (SDV-sized networks are
    /// small products).
    /// </summary>
    public const int TrainingThreads = 1;

    /// <summary>
    /// Pins LibTorch's intra-op threads for work on the calling thread. LibTorch (OpenMP and MKL) keeps
    /// the count per thread, but a thread takes the process's last-set count on its first operation:
    /// asking for the count first makes that happen now, so the count set next is this thread's own,
    /// whatever another thread sets later.
    /// </summary>
    public static void UseThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _ = Device;
        _ = torch.get_num_threads();
        torch.set_num_threads(threads);
    }

    /// <summary>
    /// Runs LibTorch's operations on the calling thread alone until disposed, then gives the thread
    /// its count back (see <see cref="UseThreads"/>: a training on another thread keeps its own).
    /// Sampling already runs several blocks at once (the CSV writer's chunks, as many as the job's
    /// compute slots), so intra-op threads would only contend with them; on one thread a block's sums
    /// also do not depend on the silo's thread count.
    /// </summary>
    public static SingleThreadScope SingleThreaded()
    {
        _ = Device;
        var previous = torch.get_num_threads();
        if (previous != 1) torch.set_num_threads(1);
        return new SingleThreadScope(previous);
    }

    public readonly struct SingleThreadScope(int previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous != 1) torch.set_num_threads(previous);
        }
    }

    /// <summary>
    /// LibTorch draws a network's initial weights from its process-wide generator, so networks are
    /// built one at a time, right after seeding it: a seed gives the same weights whatever else the
    /// process does. Hold the returned scope while building; training and sampling then draw only
    /// from generators of their own.
    /// </summary>
    public static Lock.Scope SeedWeights(long seed)
    {
        _ = Device;
        var scope = Weights.EnterScope();
        try
        {
            torch.manual_seed(seed);
            return scope;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    private static readonly Lock Weights = new();

    private static torch.Device Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
        catch (Exception ex) when (ex is NotSupportedException or TypeInitializationException or DllNotFoundException)
        {
            throw new InvalidOperationException(
                "LibTorch could not be loaded. On Debian 12 the system's libstdc++ lacks GLIBCXX_3.4.32, which libLibTorchSharp.so needs: " +
                "start this process with the dotnet that deploy/torch-runtime.sh prints (./test.sh does this itself). " +
                $"TorchSharp said: {ex.GetBaseException().Message}", ex);
        }
    }
}
