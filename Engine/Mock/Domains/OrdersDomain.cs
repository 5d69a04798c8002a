using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class OrdersDomain : IMockDomain
{
    public string Name => "orders";
    public IReadOnlyList<string> Keywords => ["order", "orders", "sale", "sales", "checkout", "checkouts", "basket", "baskets"];
    public int Priority => 90;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("order_id", "ord_"),
        Col.ForeignKey("customer_id", "cus_", context.Cardinality(5), skew: 1.5),
        Col.ForeignKey("product_id", "prd_", Math.Min(context.Cardinality(20), 50_000), skew: 2.0),
        Col.Integer("quantity", 1, 12, skew: 3.0),
        Col.Amount("unit_price", mu: 3.3, sigma: 0.9, min: 0.99, max: 5_000),
        Col.Country("country", context),
        Col.Currency("currency", "country", context),
        Col.Categorical("status", ("delivered", 71), ("shipped", 12), ("processing", 7), ("cancelled", 6), ("returned", 4)),
        Col.Timestamp("ordered_at", context),
        Col.TimestampAfter("shipped_at", "ordered_at", 3_600, 5 * 86_400),
    ];
}
