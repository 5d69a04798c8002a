using System.CommandLine;
using RadMah.Cli;
using RadMah.Cli.Admin;
using RadMah.Cli.Remote;
using RadMah.Silo;

var root = new RootCommand("radmah: synthetic-data jobs on Microsoft Orleans")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    RadMah.Gateway.GatewayCommand.Create(),
    JobsCommands.Create(),
    ArtifactsCommands.Create(),
    DatasetsCommands.Create(),
    AccountCommands.Estimate(),
    AccountCommands.Account(),
    AdminCommands.Create(),
    VerifyCommand.Create(),
};
root.Options.Add(RemoteSettings.BaseUrlOption);
root.Options.Add(RemoteSettings.ApiKeyOption);
root.Options.Add(RemoteSettings.JsonOption);
var result = root.Parse(args);
if (result.Errors.Count > 0)
{
    foreach (var error in result.Errors) Console.Error.WriteLine($"radmah: {error.Message}");
    Console.Error.WriteLine("Run 'radmah --help' for usage.");
    return ExitCodes.InvalidInput;
}
return await result.InvokeAsync();
