using RadMah.Grains.Interfaces;
using RadMah.Grains.Records;

namespace RadMah.Grains.Accounts;

/// <summary>
/// The account row an account-keyed grain serves, read from the platform records once it exists
/// (an account that does not exist yet is looked up again on the next call, so it is found once created).
/// </summary>
public sealed class AccountRecord(IPlatformRecords records, string accountId)
{
    private AccountRow? _row;

    public async ValueTask<AccountRow> RequireAsync() =>
        _row ??= await records.FindAccountAsync(accountId)
            ?? throw new RadMahException(RadMahException.NotFound, $"account {accountId} does not exist.", "account_id");
}
