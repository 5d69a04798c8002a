using Microsoft.Extensions.Logging;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using RadMah.Grains.Interfaces.Credits;
using RadMah.Grains.Records;

namespace RadMah.Grains.Accounts;

/// <summary>An account: its row in the platform records (plan, test flag) and its credits, kept by its ledger grain.</summary>
public sealed class AccountGrain(IPlatformRecords records, ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    private AccountRow? _account;

    private string AccountId => this.GetPrimaryKeyString();
    private ICreditLedgerGrain Ledger => GrainFactory.GetGrain<ICreditLedgerGrain>(AccountId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _account = await records.FindAccountAsync(AccountId, cancellationToken);

    public async Task<AccountView> CreateAsync(string plan, decimal startingCredits, bool testAccount = false)
    {
        if (_account is not null) throw new RadMahException(RadMahException.FailedPrecondition, $"account {AccountId} already exists.");
        return await EnsureCreatedAsync(plan, startingCredits, testAccount);
    }

    public async Task<AccountView> EnsureCreatedAsync(string plan, decimal startingCredits, bool testAccount = false)
    {
        if (_account is not null) return await GetAsync();
        if (!AccountPlan.All.Contains(plan))
            throw new RadMahException(RadMahException.InvalidArgument, $"unknown plan '{plan}'; plans: {string.Join(", ", AccountPlan.All)}.", "plan");
        if (startingCredits < 0) throw new RadMahException(RadMahException.InvalidArgument, "starting credits cannot be negative.", "credits");
        if (decimal.Round(startingCredits, 6) != startingCredits) throw new RadMahException(RadMahException.InvalidArgument, "credits have at most 6 decimals.", "credits");
        var now = DateTime.UtcNow;
        var account = new AccountRow(AccountId, plan, testAccount, now);
        // The account and its starting credits are one transaction: there is never an account whose credits went missing.
        var deposit = startingCredits > 0 ? new LedgerEntry(1, LedgerEntryKind.Deposit, startingCredits, null, "starting credits", now) : null;
        try
        {
            await records.CreateAccountAsync(account, deposit);
        }
        catch (DuplicateRecordException)
        {
            // Created meanwhile (an earlier attempt whose reply was lost): take what the records hold.
            _account = await records.FindAccountAsync(AccountId);
            if (_account is null)
                throw new RadMahException(RadMahException.FailedPrecondition, $"account {AccountId} cannot be created: its ledger already has entries.", "account_id");
            return await GetAsync();
        }
        catch (RecordRuleException ex)
        {
            throw new RadMahException(RadMahException.InvalidArgument, $"account {AccountId} cannot be created: {ex.Rule}.", "account_id");
        }
        _account = account;
        await Ledger.ReloadAsync();
        logger.LogInformation("Account {AccountId} created on plan {Plan} with {Credits} credits", AccountId, plan, startingCredits);
        return await GetAsync();
    }

    public async Task<AccountView> GetAsync()
    {
        var account = RequireExists();
        var balance = await Ledger.GetBalanceAsync();
        return new AccountView(AccountId, account.Plan, account.CreatedAt, balance.Balance, balance.Held, account.TestAccount);
    }

    public async Task<AccountView> TopUpAsync(decimal credits)
    {
        RequireExists();
        await Ledger.DepositAsync(credits, "top-up");
        return await GetAsync();
    }

    private AccountRow RequireExists() =>
        _account ?? throw new RadMahException(RadMahException.NotFound, $"account {AccountId} does not exist.", "account_id");
}
