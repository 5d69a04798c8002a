using Microsoft.Extensions.DependencyInjection;
using RadMah.Artifacts;
using RadMah.Grains.Interfaces;
using Orleans.TestingHost;
using RadMah.Grains.Hosting;
using RadMah.Grains.Storage;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Interfaces.Queues;

[assembly: AssemblyFixture(typeof(RadMah.Grains.Tests.ClusterFixture))]

namespace RadMah.Grains.Tests;

/// <summary>
/// One in-process silo for the whole test assembly. The free tier has no slots, so jobs of
/// free-plan accounts stay queued: that is how tests hold a job in the queued state.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "radmah-grains-" + Guid.NewGuid().ToString("N"));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var data = DataDirectory;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddProcessMemoryGrainStorage(RadMahStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddRadMahGrains(o =>
            {
                o.DataDirectory = data;
                o.Slots[QueueTiers.Free] = 0;
                o.WorkParallelism = 2;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }

    /// <inheritdoc cref="TestAccounts.NewAccountAsync"/>
    public Task<IAccountJobsGrain> NewAccountAsync(decimal credits = 100m, string plan = AccountPlan.Pro) => Client.NewAccountAsync(plan, credits);

    /// <summary>Where the silo's work spills a job's larger outputs.</summary>
    public string StagingDirectory(string jobId) =>
        Path.Combine(((LocalDiskArtifactStore)((InProcessSiloHandle)Cluster.Silos[0]).SiloHost.Services.GetRequiredService<IArtifactStore>()).Staging.Directory, jobId);

    /// <summary>A real silo address to name as a job's worker when tests drive jobs by hand.</summary>
    public string WorkerSilo => Cluster.Silos[0].SiloAddress.ToParsableString();
}
