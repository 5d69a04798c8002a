using System.CommandLine;
using Microsoft.Extensions.Hosting;

namespace RadMah.Silo;

/// <summary>`radmah serve`: one node on the embedded defaults, until Ctrl+C. Shared by the Silo executable and the CLI.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory (artifacts, staging)", DefaultValueFactory = _ => "data" };
        var dashboardPort = new Option<int>("--dashboard-port") { Description = "Port of the Orleans dashboard", DefaultValueFactory = _ => 8080 };
        dashboardPort.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 65535) r.AddError("--dashboard-port must be between 1 and 65535.");
        });
        var command = new Command("serve", "Start a single-node cluster with the dashboard (localhost clustering, in-memory storage, artifacts under --data).")
        {
            data, dashboardPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new NodeOptions { DataDirectory = parse.GetValue(data)!, DashboardPort = parse.GetValue(dashboardPort) };
            using var host = await NodeHost.StartAsync(options, cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
