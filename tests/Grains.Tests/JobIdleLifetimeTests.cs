using Orleans.TestingHost;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Tests;

/// <summary>A finished job leaves memory once idle for its lifetime, and reads back from storage unchanged.</summary>
public sealed class JobIdleLifetimeTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("radmah-idle-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_finished_job_is_deactivated_when_idle_and_read_back_unchanged()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var data = _data;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddProcessMemoryGrainStorage(RadMahStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddRadMahGrains(o =>
            {
                o.DataDirectory = data;
                o.WorkParallelism = 1;
                o.JobIdleLifetime = TimeSpan.FromSeconds(2);
            });
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync(TestContext.Current.CancellationToken);

        var account = await cluster.Client.NewAccountAsync(AccountPlan.Pro, 10m);
        var created = await account.CreateJobAsync(new JobSubmission("mock", 100, "orders"));
        var job = cluster.Client.GetGrain<IJobGrain>(created.Id);
        var finished = await job.WaitTerminalAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        var artifacts = await job.GetArtifactsAsync();

        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var jobId = job.GetGrainId();
        Assert.Contains(jobId, await management.GetActiveGrains(jobId.Type, TestContext.Current.CancellationToken));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await management.GetActiveGrains(jobId.Type, TestContext.Current.CancellationToken)).Contains(jobId))
        {
            Assert.True(DateTime.UtcNow < deadline, "the idle finished job was never deactivated");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        var reread = await job.GetAsync();
        Assert.Equal(finished.History, reread.History);
        Assert.Equal(finished.Warnings, reread.Warnings);
        Assert.Equal(finished with { History = [], Warnings = [] }, reread with { History = [], Warnings = [] });
        Assert.Equal(artifacts, await job.GetArtifactsAsync());
    }
}
