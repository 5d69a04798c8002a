using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using RadMah.Gateway.Security;
using RadMah.Gateway.V1;
using RadMah.Grains.Interfaces.Accounts;

namespace RadMah.Gateway.Services;

[Authorize]
public sealed class AccountsService(IGrainFactory grains) : Accounts.AccountsBase
{
    public override async Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        var view = await grains.GetGrain<IAccountGrain>(context.AccountId()).GetAsync();
        return new Account { Id = view.Id, Plan = view.Plan, Balance = (double)view.Balance, Held = (double)view.Held, Available = (double)view.Available };
    }
}
