using System.Security.Cryptography;
using System.Text;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Records;

namespace RadMah.Grains.Accounts;

/// <summary>
/// A key's binding to its account, cached from the platform records. The grain key is the key's
/// SHA-256 hex; the key itself is never seen here.
/// </summary>
public sealed class ApiKeyGrain(IPlatformRecords records) : Grain, IApiKeyGrain
{
    private ApiKeyRow? _row;

    private string Hash => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Only well-formed hashes are looked up; anything else resolves to no key.
        if (IsHash(Hash)) _row = await records.FindApiKeyAsync(Hash, cancellationToken);
    }

    public async Task RegisterAsync(string accountId)
    {
        if (!IsHash(Hash)) throw new RadMahException(RadMahException.InvalidArgument, "an API key grain is keyed by the key's SHA-256 hex.", "key_hash");
        if (_row is not null)
        {
            if (_row.AccountId == accountId) return;
            throw new RadMahException(RadMahException.FailedPrecondition, "this key is already bound to another account.");
        }
        var row = new ApiKeyRow(Hash, accountId, DateTime.UtcNow, null);
        try
        {
            await records.AddApiKeyAsync(row);
            _row = row;
        }
        catch (DuplicateRecordException)
        {
            _row = await records.FindApiKeyAsync(Hash);
            if (_row?.AccountId != accountId) throw new RadMahException(RadMahException.FailedPrecondition, "this key is already bound to another account.");
        }
        catch (RecordRuleException)
        {
            throw new RadMahException(RadMahException.NotFound, $"account {accountId} does not exist.", "account_id");
        }
    }

    public Task<ApiKeyInfo?> ResolveAsync()
    {
        // A key that does not exist keeps no activation: a flood of made-up keys must not fill memory.
        if (_row is null) DeactivateOnIdle();
        // The stored hash is compared in constant time, so timing says nothing about near misses.
        var stored = _row?.KeyHash;
        if (stored is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash)))
            return Task.FromResult<ApiKeyInfo?>(null);
        return Task.FromResult<ApiKeyInfo?>(new ApiKeyInfo(ApiKeys.KeyIdOf(Hash), _row!.AccountId, _row.RevokedAt is not null, _row.CreatedAt));
    }

    public async Task RevokeAsync()
    {
        if (_row is null || _row.RevokedAt is not null) return;
        var at = DateTime.UtcNow;
        await records.RevokeApiKeyAsync(Hash, at);
        _row = await records.FindApiKeyAsync(Hash) ?? _row with { RevokedAt = at };
    }

    private static bool IsHash(string value) => value.Length == 64 && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;
}
