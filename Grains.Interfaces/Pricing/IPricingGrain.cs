
namespace RadMah.Grains.Interfaces.Pricing;

/// <summary>Credit estimates as a grain call, for in-cluster clients. Stateless: any silo answers.</summary>
public interface IPricingGrain : IGrainWithIntegerKey
{
    Task<CreditEstimateView> EstimateAsync(long rows, string kind);
}
