using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

public sealed class ProductsDomain : IMockDomain
{
    public string Name => "products";
    public IReadOnlyList<string> Keywords => ["product", "products", "catalog", "catalogue", "item", "items", "sku", "skus", "inventory"];
    public int Priority => 40;

    public IReadOnlyList<ColumnSpec> Build(DomainContext context) =>
    [
        Col.Sequence("product_id", "prd_"),
        Col.Template("name", " ",
            ["Compact", "Deluxe", "Eco", "Ergonomic", "Classic", "Smart", "Portable", "Premium", "Rugged", "Slim"],
            ["Steel", "Bamboo", "Leather", "Ceramic", "Cotton", "Aluminium", "Oak", "Glass", "Wool", "Carbon"],
            ["Kettle", "Backpack", "Desk Lamp", "Chair", "Headphones", "Water Bottle", "Notebook", "Jacket", "Blender", "Watch"]),
        Col.Categorical("category", ("home_kitchen", 22), ("electronics", 18), ("apparel", 20), ("sports", 10), ("beauty", 9), ("toys", 8), ("office", 7), ("garden", 6)),
        Col.Amount("price", mu: 3.4, sigma: 0.8, min: 0.99, max: 4_999),
        Col.Categorical("currency", (context.Currency ?? "USD", 1)),
        Col.Integer("stock_quantity", 0, 5_000, skew: 2.5),
        Col.Normal("rating", 4.1, 0.55, 1.0, 5.0, scale: 1),
        Col.DateInWindow("listed_on", context),
        Col.Boolean("is_active", 0.9),
    ];
}
