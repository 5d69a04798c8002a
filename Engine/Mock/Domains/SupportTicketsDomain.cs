using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class SupportTicketsDomain : IMockDomain
{
    public string Name => "support_tickets";
    public IReadOnlyList<string> Keywords => ["ticket", "tickets", "support", "helpdesk", "complaint", "complaints", "case", "cases", "incident", "incidents"];
    public int Priority => 95;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("ticket_id", "tkt_"),
        Col.ForeignKey("customer_id", "cus_", context.Cardinality(4), skew: 1.3),
        Col.Categorical("subject", ("Cannot log in to my account", 14), ("Refund request", 11), ("Package has not arrived", 13), ("Charged twice", 6), ("How do I change my plan?", 9),
            ("App crashes on start", 7), ("Wrong item received", 6), ("Update billing address", 8), ("Cancel my subscription", 10), ("Feature request", 5), ("Password reset email not received", 11)),
        Col.Categorical("category", ("account", 24), ("billing", 27), ("shipping", 21), ("technical", 18), ("other", 10)),
        Col.Categorical("priority", ("low", 40), ("normal", 40), ("high", 15), ("urgent", 5)),
        Col.Categorical("channel", ("email", 41), ("chat", 33), ("phone", 16), ("web_form", 10)),
        Col.Categorical("status", ("closed", 58), ("solved", 20), ("open", 12), ("pending", 10)),
        Col.Timestamp("created_at", context),
        Col.TimestampAfter("first_response_at", "created_at", 60, 2 * 86_400),
        Col.Integer("satisfaction", 1, 5),
    ];
}
