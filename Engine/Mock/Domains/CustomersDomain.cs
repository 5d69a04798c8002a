using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class CustomersDomain : IMockDomain
{
    public string Name => "customers";
    public IReadOnlyList<string> Keywords => ["customer", "customers", "client", "clients", "shopper", "shoppers", "buyer", "buyers"];
    public int Priority => 10;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("customer_id", "cus_"),
        Col.FirstName(),
        Col.LastName(),
        Col.PersonalEmail(),
        Col.Country("country", context),
        Col.Phone("phone", "country"),
        Col.DateInWindow("signup_date", context),
        Col.Categorical("segment", ("consumer", 62), ("small_business", 25), ("enterprise", 9), ("public_sector", 4)),
        Col.Amount("lifetime_value", mu: 5.3, sigma: 1.1, min: 0, max: 250_000),
        Col.Boolean("is_active", 0.82),
    ];
}
