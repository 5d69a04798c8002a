using System.CommandLine;
using RadMah.Cli;
using RadMah.Silo;

var root = new RootCommand("radmah: synthetic-data jobs on Microsoft Orleans")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
};
var result = root.Parse(args);
if (result.Errors.Count > 0)
{
    foreach (var error in result.Errors) Console.Error.WriteLine($"radmah: {error.Message}");
    Console.Error.WriteLine("Run 'radmah --help' for usage.");
    return ExitCodes.InvalidInput;
}
return await result.InvokeAsync();
