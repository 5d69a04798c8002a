using RadMah.Gateway;

// The gateway on its own (the same as `radmah gateway`): an Orleans client of a running cluster.
return await GatewayCommand.Create().Parse(args).InvokeAsync();
