namespace RadMah.Sdk;

/// <summary>
/// A job to create, for <see cref="JobsClient.CreateAsync(JobRequest, CancellationToken)"/>. Fields left
/// null are not sent; the server fills its defaults (seed 42) and says which fields a kind refuses.
/// </summary>
public sealed record JobRequest
{
    /// <summary>mock, analyze, fit, lift, verify, … (mock when null).</summary>
    public string? Kind { get; init; }
    public long? Rows { get; init; }
    public string? Description { get; init; }
    public long? Seed { get; init; }
    public bool Interactive { get; init; }

    /// <summary>The kind's own parameters.</summary>
    public IReadOnlyDictionary<string, string>? Params { get; init; }

    /// <summary>An uploaded dataset the job reads (ds_…).</summary>
    public string? DatasetId { get; init; }

    /// <summary>
    /// Sent as the Idempotency-Key header, not in the body: the same key and request within 24 h
    /// return the job already created. Null: a fresh key per <see cref="JobsClient.CreateAsync(JobRequest, CancellationToken)"/>.
    /// Set it to make a create safe to repeat across processes (a job scheduler's run id, say).
    /// </summary>
    public string? IdempotencyKey { get; init; }

    internal Dictionary<string, object> ToBody()
    {
        var body = new Dictionary<string, object>();
        if (Kind is not null) body["kind"] = Kind;
        if (Rows is not null) body["rows"] = Rows;
        if (Description is not null) body["description"] = Description;
        if (Seed is not null) body["seed"] = Seed;
        if (Interactive) body["interactive"] = true;
        if (Params is { Count: > 0 }) body["params"] = Params;
        if (DatasetId is not null) body["dataset_id"] = DatasetId;
        return body;
    }
}
