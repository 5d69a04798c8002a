using RadMah.Engine.Synthesis.Constraints;
using RadMah.Engine.Synthesis.Tables;

namespace RadMah.Engine.Synthesis;

/// <summary>A look-alike's dependence between columns: each column's codec and the copula that draws the modelled ones together, keeping the table's rules.</summary>
public sealed record LookAlikeDependence(IReadOnlyList<ColumnCodec> Codecs, ConstrainedModel Copula);
