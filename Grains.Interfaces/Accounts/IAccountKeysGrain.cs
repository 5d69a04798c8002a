namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>An account's API keys, keyed by account id. Each key's binding lives in its own <see cref="IApiKeyGrain"/>.</summary>
public interface IAccountKeysGrain : IGrainWithStringKey
{
    /// <summary>A new API key for the account; the key itself is returned only here.</summary>
    Task<CreatedApiKey> CreateAsync();

    /// <summary>Revokes one of the account's keys by its key id (key_…); not_found if it has no such key.</summary>
    Task RevokeAsync(string keyId);

    Task<IReadOnlyList<ApiKeyInfo>> ListAsync();
}
