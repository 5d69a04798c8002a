using System.Text.Json.Nodes;
using RadMah.Engine.Contracts;
using RadMah.Engine.Mock.Domains;
using RadMah.Engine.Output;

namespace RadMah.Bench;

/// <summary>A 15-column table of the kinds of columns analyze has to tell apart, written by the mock engine.</summary>
public static class WideTable
{
    public static MockContract Contract(long rows) => new("benchmark table", "bench", rows, 7,
    [
        Col.Sequence("order_id", "ord_"),
        Col.ForeignKey("customer_id", "cus_", 50_000, 1.2),
        Col.FirstName(),
        Col.LastName(),
        Col.PersonalEmail(),
        Col.Categorical("country", ("US", 40), ("DE", 20), ("FR", 15), ("GB", 15), ("BR", 10)),
        Col.Phone("phone", "country"),
        Col.Date("signup_date", new DateOnly(2020, 1, 1), new DateOnly(2025, 12, 31)),
        new ColumnSpec("created_at", ColumnType.Timestamp, "timestamp", new JsonObject { ["start"] = "2025-01-01T00:00:00Z", ["end"] = "2026-01-01T00:00:00Z" }),
        Col.Amount("amount", mu: 3.5, sigma: 1.0, min: 0.5, max: 10_000),
        Col.Integer("quantity", 1, 20, skew: 2),
        Col.Boolean("is_gift", 0.12),
        Col.Categorical("channel", ("web", 55), ("app", 35), ("store", 10)),
        Col.IpAddress(),
        Col.Categorical("status", ("paid", 70), ("refunded", 5), ("shipped", 20), ("cancelled", 5)),
    ]);

    public static async Task WriteCsvAsync(string path, long rows)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await MockDatasetWriter.WriteAsync(Contract(rows), file, null);
    }
}
