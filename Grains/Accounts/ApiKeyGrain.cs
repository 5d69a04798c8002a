using System.Security.Cryptography;
using System.Text;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Accounts;

[GenerateSerializer]
public sealed class ApiKeyState
{
    [Id(0)] public string? AccountId { get; set; }
    [Id(1)] public string KeyHash { get; set; } = "";
    [Id(2)] public bool Revoked { get; set; }
    [Id(3)] public DateTime CreatedAt { get; set; }
}

/// <summary>A key's binding to its account. The grain key is the key's SHA-256 hex; the key itself is never seen here.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", RadMahStorage.Name)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    private string Hash => this.GetPrimaryKeyString();

    public async Task RegisterAsync(string accountId)
    {
        if (state.State.AccountId is { } existing)
        {
            if (existing == accountId) return;
            throw new RadMahException(RadMahException.FailedPrecondition, "this key is already bound to another account.");
        }
        state.State.AccountId = accountId;
        state.State.KeyHash = Hash;
        state.State.CreatedAt = DateTime.UtcNow;
        await state.WriteOrForgetAsync(this);
    }

    public Task<ApiKeyInfo?> ResolveAsync()
    {
        // The stored hash is compared in constant time, so timing says nothing about near misses.
        var stored = state.State.AccountId is null ? null : state.State.KeyHash;
        if (stored is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash)))
            return Task.FromResult<ApiKeyInfo?>(null);
        return Task.FromResult<ApiKeyInfo?>(new ApiKeyInfo(ApiKeys.KeyIdOf(Hash), state.State.AccountId!, state.State.Revoked, state.State.CreatedAt));
    }

    public async Task RevokeAsync()
    {
        if (state.State.AccountId is null || state.State.Revoked) return;
        state.State.Revoked = true;
        await state.WriteOrForgetAsync(this);
    }
}
