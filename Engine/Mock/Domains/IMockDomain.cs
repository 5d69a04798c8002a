using RadMah.Engine.Contracts;

namespace RadMah.Engine.Mock.Domains;

/// <summary>A kind of record mock knows how to make, with the words that name it.</summary>
public interface IMockDomain
{
    /// <summary>The domain's name in contracts, e.g. "transactions".</summary>
    string Name { get; }

    /// <summary>Words in a description that ask for this domain (singular and plural).</summary>
    IReadOnlyList<string> Keywords { get; }

    /// <summary>When a description names several domains ("customer transaction records"), the highest priority wins.</summary>
    int Priority { get; }

    IReadOnlyList<ColumnSpec> Build(DomainContext context);
}
