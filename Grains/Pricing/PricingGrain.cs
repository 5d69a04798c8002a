using Orleans.Concurrency;
using RadMah.Engine.Contracts;
using RadMah.Engine.Pricing;
using RadMah.Grains.Interfaces.Pricing;

namespace RadMah.Grains.Pricing;

/// <summary>The engine's pure estimate behind a grain call.</summary>
[StatelessWorker]
public sealed class PricingGrain : Grain, IPricingGrain
{
    public Task<CreditEstimateView> EstimateAsync(long rows, string kind)
    {
        try
        {
            var estimate = CreditPricing.Estimate(rows, kind);
            return Task.FromResult(new CreditEstimateView(estimate.EstimatedCredits, estimate.TrainingTier));
        }
        catch (ContractException ex)
        {
            throw ex.ToPlatformError();
        }
    }
}
