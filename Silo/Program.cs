using RadMah.Silo;

// `dotnet run --project Silo` is the same as `./radmah serve`: a single node on the embedded defaults.
return await ServeCommand.Create().Parse(args).InvokeAsync();
