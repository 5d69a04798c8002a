using RadMah.Engine.Contracts;

namespace RadMah.Engine.Jobs;

/// <summary>
/// The kinds a node runs, in the order they were registered. A known kind that is not registered
/// (not built yet) is refused at submission with a clear error, never accepted and faked.
/// </summary>
public sealed class JobKindCatalog
{
    private readonly Dictionary<string, IJobKind> _byName = new(StringComparer.Ordinal);

    public JobKindCatalog(IEnumerable<IJobKind> kinds)
    {
        foreach (var kind in kinds)
        {
            if (!JobKinds.IsKnown(kind.Name)) throw new InvalidOperationException($"kind '{kind.Name}' is not one of the product's kinds ({string.Join(", ", JobKinds.All)}).");
            if (!_byName.TryAdd(kind.Name, kind)) throw new InvalidOperationException($"kind '{kind.Name}' is registered twice.");
        }
        Available = [.. _byName.Keys];
    }

    /// <summary>The registered kinds' names, in registration order.</summary>
    public IReadOnlyList<string> Available { get; }

    /// <summary>The kind of that name; a <see cref="ContractException"/> on field kind when it is unknown or not built.</summary>
    public IJobKind Get(string? name)
    {
        if (!JobKinds.IsKnown(name)) throw JobKinds.Unknown(name);
        return _byName.TryGetValue(name!, out var kind)
            ? kind
            : throw new ContractException($"kind {name} is not available yet; available kinds: {string.Join(", ", Available)}.", "kind");
    }
}
