using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadMah.Cli.Remote;
using RadMah.Grains.Interfaces;
using RadMah.Grains.Interfaces.Accounts;
using Spectre.Console;

namespace RadMah.Cli.Admin;

/// <summary>
/// `radmah admin …`: account and key administration as an in-cluster grain client (Orleans
/// client to the cluster's gateway port), for operators on the cluster's network.
/// </summary>
public static class AdminCommands
{
    private static readonly Option<int> ClusterPort = new("--cluster-port")
    {
        Description = "The cluster's Orleans gateway port on localhost",
        DefaultValueFactory = _ => 30000,
        Recursive = true,
    };

    private static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "The cluster's id (serve --cluster-id)",
        DefaultValueFactory = _ => "radmah",
        Recursive = true,
    };

    public static Command Create()
    {
        var admin = new Command("admin", "Administer accounts and API keys (in-cluster client).") { ClusterPort, ClusterId };
        var accounts = new Command("accounts", "Create, show and top up accounts.");
        accounts.Subcommands.Add(CreateAccount());
        accounts.Subcommands.Add(ShowAccount());
        accounts.Subcommands.Add(TopUp());
        var keys = new Command("keys", "Create and revoke API keys.");
        keys.Subcommands.Add(CreateKey());
        keys.Subcommands.Add(RevokeKey());
        admin.Subcommands.Add(accounts);
        admin.Subcommands.Add(keys);
        return admin;
    }

    private static Option<string> AccountOption() => new("--account") { Description = "Account id (acct_…)", Required = true };

    private static Command CreateAccount()
    {
        var plan = new Option<string>("--plan") { Description = "free, pro or enterprise", DefaultValueFactory = _ => AccountPlan.Free };
        plan.AcceptOnlyFromAmong([.. AccountPlan.All]);
        var credits = new Option<decimal>("--credits") { Description = "Starting credits", DefaultValueFactory = _ => 0m };
        var test = new Option<bool>("--test") { Description = "A test account: its keys start with sl_test_" };
        var command = new Command("create", "Create an account and its first API key (shown once).") { plan, credits, test };
        SetAdminAction(command, async (parse, grains, json) =>
        {
            var id = Ids.NewAccountId();
            var account = grains.GetGrain<IAccountGrain>(id);
            await account.CreateAsync(parse.GetValue(plan)!, parse.GetValue(credits), parse.GetValue(test));
            var key = await grains.GetGrain<IAccountKeysGrain>(id).CreateAsync();
            if (json) RemoteCommand.PrintJson(new { account_id = id, key_id = key.KeyId, api_key = key.Key });
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Account [bold]{id}[/] on plan {parse.GetValue(plan)} with {parse.GetValue(credits)} credits");
                AnsiConsole.MarkupLineInterpolated($"API key {key.KeyId}: [bold]{key.Key}[/] (shown once; only its hash is kept)");
            }
        });
        return command;
    }

    private static Command ShowAccount()
    {
        var accountId = AccountOption();
        var command = new Command("get", "Show an account and its keys.") { accountId };
        SetAdminAction(command, async (parse, grains, json) =>
        {
            var account = grains.GetGrain<IAccountGrain>(parse.GetValue(accountId)!);
            var view = await account.GetAsync();
            var keys = await grains.GetGrain<IAccountKeysGrain>(parse.GetValue(accountId)!).ListAsync();
            if (json)
            {
                RemoteCommand.PrintJson(new { id = view.Id, plan = view.Plan, balance = view.Balance, held = view.Held, available = view.Available, keys });
                return;
            }
            AnsiConsole.MarkupLineInterpolated($"{view.Id}: plan {view.Plan}, balance {view.Balance}, held {view.Held}, available {view.Available}");
            foreach (var key in keys) AnsiConsole.MarkupLineInterpolated($"  {key.KeyId} {(key.Revoked ? "revoked" : "active")} since {key.CreatedAt:u}");
        });
        return command;
    }

    private static Command TopUp()
    {
        var accountId = AccountOption();
        var credits = new Option<decimal>("--credits") { Description = "Credits to add", Required = true };
        var command = new Command("topup", "Add credits to an account.") { accountId, credits };
        SetAdminAction(command, async (parse, grains, json) =>
        {
            var view = await grains.GetGrain<IAccountGrain>(parse.GetValue(accountId)!).TopUpAsync(parse.GetValue(credits));
            if (json) RemoteCommand.PrintJson(new { id = view.Id, balance = view.Balance, held = view.Held, available = view.Available });
            else AnsiConsole.MarkupLineInterpolated($"{view.Id}: balance {view.Balance.ToString(CultureInfo.InvariantCulture)}");
        });
        return command;
    }

    private static Command CreateKey()
    {
        var accountId = AccountOption();
        var command = new Command("create", "Create another API key for an account (shown once).") { accountId };
        SetAdminAction(command, async (parse, grains, json) =>
        {
            var key = await grains.GetGrain<IAccountKeysGrain>(parse.GetValue(accountId)!).CreateAsync();
            if (json) RemoteCommand.PrintJson(new { key_id = key.KeyId, api_key = key.Key });
            else AnsiConsole.MarkupLineInterpolated($"API key {key.KeyId}: [bold]{key.Key}[/] (shown once)");
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var accountId = AccountOption();
        var keyId = new Option<string>("--key-id") { Description = "The key's id (key_…)", Required = true };
        var command = new Command("revoke", "Revoke an API key; it stops working at once.") { accountId, keyId };
        SetAdminAction(command, async (parse, grains, json) =>
        {
            await grains.GetGrain<IAccountKeysGrain>(parse.GetValue(accountId)!).RevokeAsync(parse.GetValue(keyId)!);
            if (json) RemoteCommand.PrintJson(new { revoked = parse.GetValue(keyId) });
            else AnsiConsole.MarkupLineInterpolated($"Revoked {parse.GetValue(keyId)}");
        });
        return command;
    }

    private static void SetAdminAction(Command command, Func<ParseResult, IGrainFactory, bool, Task> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(RemoteSettings.JsonOption);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = RadMah.Gateway.HostArguments.Defaults, ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            var port = parse.GetValue(ClusterPort);
            var clusterId = parse.GetValue(ClusterId)!;
            builder.UseOrleansClient(client => client.UseLocalhostClustering(port, serviceId: clusterId, clusterId: clusterId));
            using var host = builder.Build();
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connect.CancelAfter(TimeSpan.FromSeconds(15));
                await host.StartAsync(connect.Token);
            }
            catch (Exception ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] no cluster answers on localhost:{port} ({ex.GetType().Name}). Is `radmah serve` running?");
                return ExitCodes.Unavailable;
            }
            try
            {
                await action(parse, host.Services.GetRequiredService<IGrainFactory>(), json);
                return ExitCodes.Ok;
            }
            catch (RadMahException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return ex.Code == RadMahException.NotFound ? ExitCodes.NotFound : ExitCodes.InvalidInput;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
}
