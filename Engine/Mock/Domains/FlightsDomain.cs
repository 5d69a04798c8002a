using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class FlightsDomain : IMockDomain
{
    private static readonly (string, double)[] Airports =
    [
        ("ATL", 9), ("DFW", 7), ("DEN", 7), ("ORD", 7), ("LAX", 7), ("JFK", 6), ("LHR", 8), ("CDG", 7), ("FRA", 6), ("AMS", 6),
        ("IST", 6), ("MAD", 5), ("DXB", 7), ("SIN", 5), ("HND", 6), ("SYD", 4), ("GRU", 4), ("YYZ", 4), ("MUC", 4), ("BCN", 4),
    ];

    public string Name => "flights";
    public IReadOnlyList<string> Keywords => ["flight", "flights", "airline", "airlines", "aviation", "departure", "departures"];
    public int Priority => 65;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("flight_id", "flt_"),
        Col.FlightNumber("flight_number", ("AA", 14), ("DL", 14), ("UA", 12), ("LH", 10), ("BA", 9), ("AF", 8), ("KL", 6), ("EK", 7), ("TK", 8), ("SQ", 4), ("QF", 3), ("IB", 5)),
        Col.Categorical("origin", Airports),
        Col.DistinctCategorical("destination", "origin", Airports),
        Col.Timestamp("scheduled_departure", context),
        Col.TimestampAfter("scheduled_arrival", "scheduled_departure", 45 * 60, 15 * 3_600),
        Col.Categorical("aircraft", ("A320", 26), ("B737", 28), ("A321", 12), ("B787", 9), ("A350", 7), ("B777", 8), ("E175", 7), ("A330", 3)),
        Col.Integer("seats", 70, 400, skew: 1.8),
        Col.Categorical("status", ("on_time", 77), ("delayed", 19), ("cancelled", 2.5), ("diverted", 1.5)),
    ];
}
