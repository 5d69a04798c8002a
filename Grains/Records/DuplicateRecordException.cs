namespace RadMah.Grains.Records;

/// <summary>A write the store refused because the record, or one that excludes it, already exists.</summary>
public sealed class DuplicateRecordException(string rule, Exception? inner = null)
    : Exception($"the platform records refused a duplicate: {rule}", inner)
{
    /// <summary>The uniqueness rule that refused the write (the PostgreSQL constraint name).</summary>
    public string Rule { get; } = rule;
}

/// <summary>A write the store refused because it breaks a rule other than uniqueness (e.g. a debit that matches no hold).</summary>
public sealed class RecordRuleException(string rule, Exception? inner = null)
    : Exception($"the platform records refused a write that breaks {rule}", inner)
{
    public string Rule { get; } = rule;
}
