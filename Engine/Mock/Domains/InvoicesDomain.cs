using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class InvoicesDomain : IMockDomain
{
    public string Name => "invoices";
    public IReadOnlyList<string> Keywords => ["invoice", "invoices", "bill", "bills", "billing", "receivable", "receivables"];
    public int Priority => 80;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("invoice_id", "inv_"),
        Col.ForeignKey("customer_id", "cus_", context.Cardinality(6), skew: 1.4),
        Col.DateInWindow("issued_on", context),
        Col.DateAfter("due_on", "issued_on", 14, 60),
        Col.Amount("amount", mu: 6.4, sigma: 1.2, min: 5, max: 2_000_000),
        Col.Country("country", context),
        Col.Currency("currency", "country", context),
        Col.Categorical("payment_terms", ("net_30", 55), ("net_15", 15), ("net_60", 15), ("due_on_receipt", 15)),
        Col.Categorical("status", ("paid", 68), ("open", 17), ("overdue", 11), ("void", 4)),
    ];
}
