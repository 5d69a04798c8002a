namespace RadMah.Grains.Interfaces.Accounts;

/// <summary>One API key, keyed by the SHA-256 hex of the key (never by the key itself).</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Binds the key to an account. Called by the account grain that created it.</summary>
    Task RegisterAsync(string accountId);

    /// <summary>The key's account and state, or null when no key has this hash.</summary>
    Task<ApiKeyInfo?> ResolveAsync();

    Task RevokeAsync();
}
