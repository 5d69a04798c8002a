using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.Silo;

/// <summary>The account a fresh node creates so that the demo and first experiments have credits to spend.</summary>
public static class DevelopmentAccount
{
    public const string Id = "acct_dev";
    public const decimal StartingCredits = 1_000m;

    public const string KeyFileName = "dev-api-key";

    public static Task<AccountView> EnsureAsync(IGrainFactory grains) =>
        grains.GetGrain<IAccountGrain>(Id).EnsureCreatedAsync(AccountPlan.Pro, StartingCredits);

    /// <summary>
    /// Makes DATA/dev-api-key hold a working key of the development account: kept when it still
    /// opens the account (durable storage), replaced otherwise (in-memory storage forgets keys).
    /// The file is readable by its owner only.
    /// </summary>
    public static async Task<string> EnsureKeyFileAsync(IGrainFactory grains, string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, KeyFileName);
        if (File.Exists(path))
        {
            var existing = (await File.ReadAllTextAsync(path)).Trim();
            if (ApiKeys.IsWellFormed(existing)
                && await grains.GetGrain<IApiKeyGrain>(ApiKeys.Hash(existing)).ResolveAsync() is { Revoked: false } info
                && info.AccountId == Id)
                return path;
        }
        var created = await grains.GetGrain<IAccountKeysGrain>(Id).CreateAsync();
        await File.WriteAllTextAsync(path, created.Key + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
