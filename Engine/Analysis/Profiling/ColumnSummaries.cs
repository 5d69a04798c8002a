namespace RadMah.Engine.Analysis.Profiling;

/// <summary>Turns a column's counts and its type decision into the column's entry of profile.json.</summary>
public static class ColumnSummaries
{
    public const int TopK = 20;

    public static ColumnProfile Build(ColumnProfiler p, ColumnNameHints hints, TypeDecision decision)
    {
        var type = decision.Type;
        var present = Math.Max(1, p.Present);
        var numeric = SemanticTypes.IsNumeric(type) || type == SemanticTypes.Integer ? p.NumericSummary() : null;
        var temporal = SemanticTypes.IsTemporal(type) ? p.TemporalSummary() : null;
        BooleanSummary? boolean = null;
        if (type == SemanticTypes.Boolean)
        {
            var (t, f) = p.BooleanWords;
            if (!p.IsText && p.PhysicalType != "bool" && p.NumericSummary() is { } ones)
            {
                // 0/1 integers: the mean is the share of ones.
                t = (long)Math.Round(ones.Mean * p.Present);
                f = p.Present - t;
            }
            boolean = new BooleanSummary(t, f, Math.Round((double)t / Math.Max(1, t + f), 6));
        }
        var top = p.Top.Top(TopK).Select(v => new ValueCount(v.Value, v.Count, Math.Round((double)v.Count / present, 6))).ToList();
        IReadOnlyDictionary<string, double>? shapes = null;
        if (p.IsText)
        {
            shapes = TextShapes.Counted
                .Select(s => (s.Name, Share: Math.Round(p.Share(s.Shape), 6)))
                .Where(s => s.Share > 0)
                .ToDictionary(s => s.Name, s => s.Share);
        }
        IReadOnlyList<ValueCount>? patterns = null;
        if (p.Patterns.Count > 0 && type is SemanticTypes.Identifier or SemanticTypes.PostalCode or SemanticTypes.Phone)
        {
            var counted = p.Patterns.Values.Sum();
            patterns = p.Patterns.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10)
                .Select(kv => new ValueCount(kv.Key, kv.Value, Math.Round((double)kv.Value / Math.Max(1, counted), 6))).ToList();
        }
        return new ColumnProfile
        {
            Name = p.Name,
            Index = p.Index,
            PhysicalType = p.PhysicalType,
            SemanticType = type,
            Confidence = decision.Confidence,
            Count = p.Rows,
            Nulls = p.MissingCount,
            NullRate = p.Rows == 0 ? 0 : Math.Round((double)p.MissingCount / p.Rows, 6),
            MissingSpellings = p.MissingSpellings.Count > 0 ? p.MissingSpellings.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary() : null,
            Invalid = decision.Invalid,
            Distinct = p.Distinct,
            Numeric = numeric,
            Temporal = temporal,
            Boolean = boolean,
            Length = p.IsText && p.Present > 0 ? new LengthSummary(p.MinLength, p.MaxLength, Math.Round(p.MeanLength, 3)) : null,
            TopValues = top,
            Categories = type is SemanticTypes.Categorical or SemanticTypes.CountryCode && p.Top.IsExact
                ? p.Top.All().Select(v => new ValueCount(v.Value, v.Count, Math.Round((double)v.Count / present, 6))).ToList()
                : null,
            TopValuesExact = p.Top.IsExact,
            Pii = TypeInference.Pii(p, hints, type),
            Shapes = shapes,
            Patterns = patterns,
        };
    }
}
