using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class WebEventsDomain : IMockDomain
{
    public string Name => "web_events";
    public IReadOnlyList<string> Keywords => ["session", "sessions", "event", "events", "clickstream", "click", "clicks", "pageview", "pageviews", "visit", "visits", "web", "analytics"];
    public int Priority => 75;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("event_id", "evt_", 12),
        Col.ForeignKey("session_id", "ses_", context.Cardinality(6)),
        Col.ForeignKey("user_id", "usr_", context.Cardinality(25), skew: 1.7),
        Col.Categorical("event_type", ("page_view", 60), ("click", 22), ("add_to_cart", 8), ("signup", 5), ("checkout", 3), ("purchase", 2)),
        Col.Categorical("page_path", ("/", 24), ("/products", 18), ("/search", 14), ("/cart", 8), ("/checkout", 4), ("/blog", 9), ("/pricing", 7), ("/login", 10), ("/account", 6)),
        Col.Categorical("referrer", ("direct", 35), ("google", 38), ("bing", 4), ("facebook", 8), ("newsletter", 6), ("twitter", 4), ("partner", 5)),
        Col.Categorical("device", ("mobile", 58), ("desktop", 37), ("tablet", 5)),
        Col.Categorical("browser", ("chrome", 64), ("safari", 19), ("edge", 5), ("firefox", 3), ("samsung_internet", 3), ("other", 6)),
        Col.Country("country", context),
        Col.IpAddress(),
        Col.Timestamp("occurred_at", context),
    ];
}
