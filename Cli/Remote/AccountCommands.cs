using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace RadMah.Cli.Remote;

/// <summary>`radmah estimate` and `radmah account`.</summary>
public static class AccountCommands
{
    public static Command Estimate()
    {
        var rows = new Option<long>("--rows") { Description = "Rows", Required = true };
        var kind = new Option<string>("--kind") { Description = "Job kind", Required = true };
        var command = new Command("estimate", "Estimate the credits a job would cost.") { rows, kind };
        command.SetRemoteAction(async (parse, client, json, ct) =>
        {
            var estimate = await client.EstimateAsync(parse.GetValue(rows), parse.GetValue(kind)!, ct);
            if (json) RemoteCommand.PrintJson(estimate);
            else AnsiConsole.MarkupLineInterpolated($"estimated_credits: [bold]{estimate.EstimatedCredits.ToString("0.######", CultureInfo.InvariantCulture)}[/]{(estimate.TrainingTier.Length > 0 ? $", training_tier: {estimate.TrainingTier}" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Account()
    {
        var command = new Command("account", "Show the account behind the API key.");
        command.SetRemoteAction(async (_, client, json, ct) =>
        {
            var account = await client.GetAccountAsync(ct);
            if (json)
            {
                RemoteCommand.PrintJson(account);
                return ExitCodes.Ok;
            }
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Account", account.Id);
            grid.AddRow("Plan", account.Plan);
            grid.AddRow("Balance", account.Balance.ToString("0.######", CultureInfo.InvariantCulture));
            grid.AddRow("Held", account.Held.ToString("0.######", CultureInfo.InvariantCulture));
            grid.AddRow("Available", account.Available.ToString("0.######", CultureInfo.InvariantCulture));
            AnsiConsole.Write(grid);
            return ExitCodes.Ok;
        });
        return command;
    }
}
