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
    [InlineData(10_000_000L, "GPU-S")]
    [InlineData(10_000_001L, "GPU-M")]
    [InlineData(300_000_000L, "GPU-L")]
    public void Training_is_priced_by_tier_of_rows_times_columns_times_epochs(long rows, string tier)
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
    public void Data_jobs_are_priced_by_the_bytes_they_read()
    {
        decimal Read(long bytes) => CreditPricing.Price("analyze", new PriceQuantities { InputBytes = bytes }).EstimatedCredits;
        Assert.Equal(1m, Read(100_000_000));
        Assert.Equal(0.000001m, Read(100));
        Assert.Equal(0m, Read(0));
        Assert.Throws<ContractException>(() => Read(-1));
        Assert.StartsWith("kind: analyze jobs are priced by the bytes of their input", Assert.Throws<ContractException>(() => CreditPricing.Estimate(1000, "analyze")).Message);
        Assert.Equal("kind", Assert.Throws<ContractException>(() => CreditPricing.Estimate(1000, "lift")).Field);
    }

    [Fact]
    public void Verify_jobs_are_priced_by_bytes_not_rows()
    {
        decimal Check(long bytes) => CreditPricing.Price("verify", new PriceQuantities { CheckedBytes = bytes }).EstimatedCredits;
        Assert.Equal(1m, Check(1_000_000_000));
        Assert.Equal(0.000001m, Check(1_000));
        Assert.Equal(0m, Check(0));
        Assert.Throws<ContractException>(() => Check(-1));
        Assert.Contains("priced by the bytes they check", Assert.Throws<ContractException>(() => CreditPricing.Estimate(1000, "verify")).Message);
    }

    [Fact]
    public void Every_product_kind_has_a_price_rule_so_even_unbuilt_kinds_can_be_estimated()
    {
        Assert.Equal(10, JobKinds.All.Count);
        foreach (var kind in JobKinds.All)
        {
            // Each kind is priced by exactly one quantity: with all of them zero but that one, the price follows it.
            var byRows = CreditPricing.Price(kind, new PriceQuantities { Rows = 2_000_000, TrainingCells = 2_000_000 });
            var byBytes = CreditPricing.Price(kind, new PriceQuantities { InputBytes = 200_000_000, CheckedBytes = 2_000_000_000 });
            var byFabrications = CreditPricing.Price(kind, new PriceQuantities { Fabrications = 2 });
            Assert.True(byRows.EstimatedCredits > 0 || byBytes.EstimatedCredits > 0 || byFabrications.EstimatedCredits > 0, kind);
        }
    }

    [Fact]
    public void A_fabrication_is_priced_per_contract_or_scenario_and_the_estimate_says_so()
    {
        Assert.Equal(new CreditEstimate(0.01m, null), CreditPricing.Estimate(1_000, "fabricate"));
        Assert.Equal(0.05m, CreditPricing.Price("scenario_fabricate", new PriceQuantities { Fabrications = 5, Rows = 9_000_000 }).EstimatedCredits);
    }
}
