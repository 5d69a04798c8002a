using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class TransactionsDomain : IMockDomain
{
    public string Name => "transactions";
    public IReadOnlyList<string> Keywords => ["transaction", "transactions", "payment", "payments", "charge", "charges", "purchase", "purchases", "card", "cards"];
    public int Priority => 100;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("transaction_id", "txn_"),
        Col.ForeignKey("customer_id", "cus_", context.Cardinality(8), skew: 1.6),
        Col.CardNumber(),
        Col.Amount("amount", mu: 3.6, sigma: 1.0, min: 0.5, max: 25_000),
        Col.Country("country", context),
        Col.Currency("currency", "country", context),
        Col.Categorical("merchant_category",
            ("grocery", 24), ("restaurants", 17), ("fuel", 11), ("online_retail", 15), ("travel", 6),
            ("entertainment", 7), ("utilities", 5), ("health", 5), ("electronics", 4), ("apparel", 6)),
        Col.Categorical("channel", ("card_present", 48), ("online", 41), ("contactless_mobile", 11)),
        Col.Categorical("status", ("approved", 92.5), ("declined", 5), ("refunded", 1.5), ("chargeback", 1)),
        Col.Timestamp("created_at", context),
    ];
}
