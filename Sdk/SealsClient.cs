namespace RadMah.Sdk;

/// <summary>The seal log of the deployment, for checking jobs with `radmah verify` or any other verifier.</summary>
public sealed class SealsClient
{
    private readonly RadMahClient _client;

    internal SealsClient(RadMahClient client) => _client = client;

    /// <summary>
    /// The job's seal, inclusion proof and signed checkpoint, as the JSON document the gateway
    /// serves (kept verbatim: it is the proof file the offline verifier reads).
    /// </summary>
    public Task<string> GetProofJsonAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return _client.Api.GetTextAsync($"/v1/seals/{Uri.EscapeDataString(jobId)}", cancellationToken);
    }

    public Task<SealCheckpoint> GetCheckpointAsync(CancellationToken cancellationToken = default) =>
        _client.Api.SendAsync<SealCheckpoint>(HttpMethod.Get, "/v1/seals/checkpoint", null, cancellationToken);

    public async Task<IReadOnlyList<SigningPublicKey>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        (await _client.Api.SendAsync<SigningKeyList>(HttpMethod.Get, "/v1/keys", null, cancellationToken).ConfigureAwait(false)).Keys ?? [];
}
