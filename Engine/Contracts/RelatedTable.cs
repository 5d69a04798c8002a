namespace RadMah.Engine.Contracts;

/// <summary>
/// A child table of a multi-table mock contract: each row of the contract's own (parent) table has
/// from <see cref="MinPerParent"/> to <see cref="MaxPerParent"/> rows here, drawn from the seed, and
/// one column (generator <c>parent_key</c>) holds the parent row's key, so every foreign key resolves.
/// </summary>
public sealed record RelatedTable(string Name, int MinPerParent, int MaxPerParent, IReadOnlyList<ColumnSpec> Columns)
{
    public const int MaxPerParentLimit = 1_000;
    /// <summary>Parent rows a multi-table contract may have: the child's row index is built in memory.</summary>
    public const long MaxParentRows = 10_000_000;
    public const string ParentKeyGenerator = "parent_key";
}
