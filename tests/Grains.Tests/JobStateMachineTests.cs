using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Jobs;
using RadMah.Grains.Jobs;

namespace RadMah.Grains.Tests;

public class JobStateMachineTests
{
    private static readonly HashSet<(JobStatus, JobStatus)> Legal =
    [
        (JobStatus.Created, JobStatus.Queued),
        (JobStatus.Queued, JobStatus.Running),
        (JobStatus.Running, JobStatus.Succeeded),
        (JobStatus.Running, JobStatus.Failed),
        (JobStatus.Created, JobStatus.Canceled),
        (JobStatus.Queued, JobStatus.Canceled),
        (JobStatus.Running, JobStatus.Canceled),
    ];

    public static TheoryData<JobStatus, JobStatus> AllPairs()
    {
        var data = new TheoryData<JobStatus, JobStatus>();
        foreach (var from in Enum.GetValues<JobStatus>())
            foreach (var to in Enum.GetValues<JobStatus>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Exactly_the_lifecycle_moves_are_legal(JobStatus from, JobStatus to)
    {
        Assert.Equal(Legal.Contains((from, to)), JobStateMachine.CanMove(from, to));
        if (Legal.Contains((from, to))) JobStateMachine.EnsureCanMove("job_x", from, to);
        else Assert.Equal(RadMahException.FailedPrecondition, Assert.Throws<RadMahException>(() => JobStateMachine.EnsureCanMove("job_x", from, to)).Code);
    }

    [Fact]
    public void Terminal_states_say_they_are_final()
    {
        var ex = Assert.Throws<RadMahException>(() => JobStateMachine.EnsureCanMove("job_x", JobStatus.Succeeded, JobStatus.Canceled));
        Assert.Equal("job job_x is succeeded, which is final; it cannot become canceled.", ex.Message);
    }

    [Fact]
    public void Statuses_use_the_product_page_words() =>
        Assert.Equal(["created", "queued", "running", "succeeded", "failed", "canceled"], Enum.GetValues<JobStatus>().Select(s => s.ToWire()));
}
