using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Pricing;

namespace RadMah.Engine.Tests;

public class PricingAndKindsTests
{
    [Fact]
    public void The_product_page_example_holds() =>
        Assert.Equal(new CreditEstimate(1m, "GPU-S"), CreditPricing.Estimate(1_000_000, "synthesize"));

    [Theory]
    [InlineData(100_000L, "0.1")]
    [InlineData(1L, "0.000001")]
    [InlineData(1_500_000L, "1.5")]
    [InlineData(1_000_000_000L, "1000")]
    public void One_credit_is_a_million_rows(long rows, string credits)
    {
        var estimate = CreditPricing.Estimate(rows, "mock");
        Assert.Equal(decimal.Parse(credits, System.Globalization.CultureInfo.InvariantCulture), estimate.EstimatedCredits);
        Assert.Null(estimate.TrainingTier);
    }

    [Theory]
    [InlineData(500_000L, "GPU-S")]
    [InlineData(1_000_001L, "GPU-M")]
    [InlineData(50_000_000L, "GPU-L")]
    public void Training_is_priced_by_tier(long rows, string tier)
    {
        var estimate = CreditPricing.Estimate(rows, "train");
        Assert.Equal(tier, estimate.TrainingTier);
        Assert.True(estimate.EstimatedCredits > 0);
    }

    [Fact]
    public void Unknown_kinds_and_bad_rows_are_refused()
    {
        Assert.Contains("unknown kind 'bogus'", Assert.Throws<ContractException>(() => CreditPricing.Estimate(10, "bogus")).Message);
        Assert.Contains("rows must be", Assert.Throws<ContractException>(() => CreditPricing.Estimate(0, "mock")).Message);
    }

    [Fact]
    public void All_ten_kinds_are_known_and_only_built_ones_are_available()
    {
        Assert.Equal(10, JobKinds.All.Count);
        JobKinds.EnsureAvailable("mock");
        JobKinds.EnsureAvailable("verify");
        JobKinds.EnsureAvailable("analyze");
        JobKinds.EnsureAvailable("fit");
        JobKinds.EnsureAvailable("lift");
        Assert.Equal(5, JobKinds.All.Except(JobKinds.Available).Count());
        foreach (var kind in JobKinds.All.Except(JobKinds.Available))
            Assert.Equal($"kind {kind} is not available yet; available kinds: mock, verify, analyze, fit, lift.", Assert.Throws<ContractException>(() => JobKinds.EnsureAvailable(kind)).Message);
        Assert.StartsWith("unknown kind 'Mock'", Assert.Throws<ContractException>(() => JobKinds.EnsureAvailable("Mock")).Message);
    }

    [Fact]
    public void Data_jobs_are_priced_by_the_bytes_they_read()
    {
        Assert.Equal(1m, CreditPricing.EstimateData(100_000_000));
        Assert.Equal(0.000001m, CreditPricing.EstimateData(100));
        Assert.Equal(0m, CreditPricing.EstimateData(0));
        Assert.Throws<ContractException>(() => CreditPricing.EstimateData(-1));
        Assert.StartsWith("kind: analyze jobs are priced by the bytes of their input", Assert.Throws<ContractException>(() => CreditPricing.Estimate(1000, "analyze")).Message);
    }

    [Fact]
    public void Verify_jobs_are_priced_by_bytes_not_rows()
    {
        Assert.Equal(1m, CreditPricing.EstimateVerify(1_000_000_000));
        Assert.Equal(0.000001m, CreditPricing.EstimateVerify(1_000));
        Assert.Equal(0m, CreditPricing.EstimateVerify(0));
        Assert.Throws<ContractException>(() => CreditPricing.EstimateVerify(-1));
        Assert.Contains("priced by the bytes they check", Assert.Throws<ContractException>(() => CreditPricing.Estimate(1000, "verify")).Message);
    }
}
