using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Interfaces.Queues;

namespace RadMah.Grains.Queues;

/// <summary>A tier's waiting line and its slots. Jobs start in arrival order as slots free up.</summary>
public sealed class JobQueueGrain(
    [PersistentState("queue", RadMahStorage.Name)] IPersistentState<JobQueueState> state,
    IOptions<RadMahSiloOptions> options,
    ILogger<JobQueueGrain> logger) : Grain, IJobQueueGrain
{
    private string Tier => this.GetPrimaryKeyString();

    private int Slots => options.Value.Slots.GetValueOrDefault(Tier);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!QueueTiers.All.Contains(Tier))
            throw new RadMahException(RadMahException.InvalidArgument, $"'{Tier}' is not a queue tier; tiers: {string.Join(", ", QueueTiers.All)}.", "tier");
        return Task.CompletedTask;
    }

    public async Task EnqueueAsync(string jobId)
    {
        if (state.State.Waiting.Contains(jobId) || state.State.Running.Contains(jobId)) return;
        state.State.Waiting.Add(jobId);
        await state.WriteStateAsync();
        await PumpAsync();
    }

    public async Task ReleaseAsync(string jobId)
    {
        var removed = state.State.Running.Remove(jobId) | state.State.Waiting.Remove(jobId);
        if (!removed) return;
        await state.WriteStateAsync();
        await PumpAsync();
    }

    public Task<QueueDepth> GetDepthAsync() =>
        Task.FromResult(new QueueDepth(Tier, state.State.Waiting.Count, state.State.Running.Count, Slots));

    private async Task PumpAsync()
    {
        while (state.State.Running.Count < Slots && state.State.Waiting.Count > 0)
        {
            var jobId = state.State.Waiting[0];
            state.State.Waiting.RemoveAt(0);
            state.State.Running.Add(jobId);
            await state.WriteStateAsync();
            logger.LogDebug("Queue {Tier}: starting {JobId}", Tier, jobId);
            await GrainFactory.GetGrain<IJobRunnerGrain>(jobId).StartAsync(Tier);
        }
    }
}
