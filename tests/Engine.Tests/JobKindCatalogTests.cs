using RadMah.Engine.Contracts;
using RadMah.Engine.Jobs;

namespace RadMah.Engine.Tests;

public class JobKindCatalogTests
{
    private sealed class NamedKind(string name) : IJobKind
    {
        public string Name => name;
        public string MainResult => "result.json";
        public Task<SealedJob> SubmitAsync(JobRequest request, IJobInputs inputs, CancellationToken cancellationToken) => throw new NotSupportedException();
        public JobTerms Reopen(string contractJson, string contractDigest) => throw new NotSupportedException();
    }

    [Fact]
    public void Registered_kinds_are_available_in_registration_order_and_the_other_product_kinds_are_refused_as_not_built()
    {
        var catalog = new JobKindCatalog([new NamedKind("lift"), new NamedKind("mock")]);
        Assert.Equal(["lift", "mock"], catalog.Available);
        Assert.Equal("mock", catalog.Get("mock").Name);
        foreach (var kind in JobKinds.All.Except(catalog.Available))
        {
            var refusal = Assert.Throws<ContractException>(() => catalog.Get(kind));
            Assert.Equal($"kind {kind} is not available yet; available kinds: lift, mock.", refusal.Message);
            Assert.Equal("kind", refusal.Field);
        }
    }

    [Theory]
    [InlineData("Mock")]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData(null)]
    public void Names_outside_the_product_page_are_unknown_kinds(string? name)
    {
        var refusal = Assert.Throws<ContractException>(() => new JobKindCatalog([new NamedKind("mock")]).Get(name));
        Assert.StartsWith($"unknown kind '{name}'; known kinds: mock, fabricate, analyze", refusal.Message);
        Assert.Equal("kind", refusal.Field);
    }

    [Fact]
    public void A_kind_outside_the_product_page_or_registered_twice_stops_the_catalog()
    {
        Assert.Throws<InvalidOperationException>(() => new JobKindCatalog([new NamedKind("bogus")]));
        Assert.Throws<InvalidOperationException>(() => new JobKindCatalog([new NamedKind("mock"), new NamedKind("mock")]));
    }
}
