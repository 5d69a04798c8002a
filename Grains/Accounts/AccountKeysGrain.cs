using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Records;

namespace RadMah.Grains.Accounts;

/// <summary>An account's API keys: only their hashes are stored, each bound to the account by its <see cref="ApiKeyGrain"/>.</summary>
public sealed class AccountKeysGrain(IPlatformRecords records, ILogger<AccountKeysGrain> logger) : Grain, IAccountKeysGrain
{
    private AccountRecord? _account;

    private string AccountId => this.GetPrimaryKeyString();
    private AccountRecord Account => _account ??= new AccountRecord(records, AccountId);

    public async Task<CreatedApiKey> CreateAsync()
    {
        var account = await Account.RequireAsync();
        var key = ApiKeys.Generate(account.TestAccount);
        var hash = ApiKeys.Hash(key);
        var keyId = ApiKeys.KeyIdOf(hash);
        await GrainFactory.GetGrain<IApiKeyGrain>(hash).RegisterAsync(AccountId);
        logger.LogInformation("Account {AccountId}: API key {KeyId} created", AccountId, keyId);
        return new CreatedApiKey(keyId, key);
    }

    public async Task RevokeAsync(string keyId)
    {
        await Account.RequireAsync();
        var keys = await records.ListApiKeysAsync(AccountId);
        var hash = keys.FirstOrDefault(k => ApiKeys.KeyIdOf(k.KeyHash) == keyId)?.KeyHash
            ?? throw new RadMahException(RadMahException.NotFound, $"account {AccountId} has no key {keyId}.", "key_id");
        await GrainFactory.GetGrain<IApiKeyGrain>(hash).RevokeAsync();
        logger.LogInformation("Account {AccountId}: API key {KeyId} revoked", AccountId, keyId);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync()
    {
        await Account.RequireAsync();
        var keys = await records.ListApiKeysAsync(AccountId);
        return keys.Select(k => new ApiKeyInfo(ApiKeys.KeyIdOf(k.KeyHash), k.AccountId, k.RevokedAt is not null, k.CreatedAt)).ToArray();
    }
}
