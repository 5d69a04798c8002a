using System.CommandLine;
using Microsoft.Extensions.Hosting;
using RadMah.Grains.Placement;

namespace RadMah.Silo;

/// <summary>`radmah serve`: one node on the embedded defaults, until Ctrl+C. Shared by the Silo executable and the CLI.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory (artifacts, staging)", DefaultValueFactory = _ => "data" };
        var dashboardPort = PortOption("--dashboard-port", "Port of the Orleans dashboard", 8080);
        var httpPort = PortOption("--http-port", "Port of the REST/JSON gateway (HTTP/1.1)", 5080);
        var grpcPort = PortOption("--grpc-port", "Port of the gRPC gateway (h2c)", 5081);
        var storage = new Option<string>("--storage")
        {
            Description = "sqlite (the default: one node, durable in DATA/radmah.db), memory (nothing survives a restart; for tests) or postgres (a cluster)",
            DefaultValueFactory = _ => "sqlite",
        };
        storage.AcceptOnlyFromAmong("memory", "sqlite", "postgres");
        var pg = new Option<string?>("--pg") { Description = "Npgsql connection string, with --storage postgres (deploy/pg-up.sh prints one)" };
        var artifactStore = new Option<string>("--artifact-store")
        {
            Description = "local (files under --data, or a directory every node shares) or postgres (chunks in the --pg database, reachable from any machine)",
            DefaultValueFactory = _ => "local",
        };
        artifactStore.AcceptOnlyFromAmong("local", "postgres");
        var signingKey = new Option<string?>("--signing-key")
        {
            Description = "PEM file of the ECDSA P-256 key that signs evidence bundles and checkpoints, created (owner-only) if missing; default DATA/keys/signing-key.pem. Give all silos of a deployment the same file.",
        };
        var computeSlots = new Option<int?>("--compute-slots")
        {
            Description = "At most N jobs of the interactive, default and free tiers compute at once on this silo, interactive first, then default, then free (default: the core count)",
        };
        computeSlots.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--compute-slots must be at least 1.");
        });
        var siloPort = PortOption("--silo-port", "Orleans silo-to-silo port", 11111);
        var clusterPort = PortOption("--cluster-port", "Orleans gateway port for cluster clients", 30000);
        var queues = new Option<string?>("--queues") { Description = "Queue tiers this silo serves, e.g. default,gpu (default: all four)" };
        var siloOnly = new Option<bool>("--silo-only") { Description = "Run the silo and dashboard without the gateway (cluster members)" };
        var clusterId = new Option<string>("--cluster-id") { Description = "Cluster id shared by the silos and gateways of one deployment", DefaultValueFactory = _ => "radmah" };
        var dashboardAuth = new Option<string?>("--dashboard-auth")
        {
            Description = $"USER:PASSWORD to put the dashboard behind basic authentication (or set {DashboardBasicAuth.EnvironmentVariable})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DashboardBasicAuth.EnvironmentVariable),
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "text or json (one JSON object per line, with the job id as a field); or set RADMAH_LOG_FORMAT",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RADMAH_LOG_FORMAT") ?? "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var logLevel = new Option<string>("--log-level")
        {
            Description = "The least severe log messages written: debug, information (the default: each job's state changes), warning or error; or set RADMAH_LOG_LEVEL",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RADMAH_LOG_LEVEL") ?? "information",
        };
        logLevel.AcceptOnlyFromAmong(LogLevels.Keys.ToArray());
        var neuralModels = new Option<string?>("--neural-models")
        {
            Description = $"Directory of the RadMah.Neural plugin, for tvae and ctgan (Neural/bin/Release/net10.0/linux-x64); or set {NeuralModels.EnvironmentVariable}. Without it: gaussian_copula only",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(NeuralModels.EnvironmentVariable) is { Length: > 0 } dir ? dir : null,
        };
        var llmEndpoint = new Option<string?>("--llm-endpoint")
        {
            Description = $"OpenAI-compatible endpoint of the LLM that fabricate and scenario_fabricate consult (vLLM, llama.cpp, LM Studio, Ollama's /v1, a hosted API); or set {LlmEndpoint.EndpointVariable}. Without it: the built-in compilers",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(LlmEndpoint.EndpointVariable) is { Length: > 0 } e ? e : null,
        };
        var llmModel = new Option<string?>("--llm-model")
        {
            Description = $"The model to ask; or set {LlmEndpoint.ModelVariable}",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(LlmEndpoint.ModelVariable) is { Length: > 0 } m ? m : null,
        };
        var llmKeyFile = new Option<string?>("--llm-api-key-file")
        {
            Description = $"File holding the endpoint's API key, readable by its owner only; or set {LlmEndpoint.KeyFileVariable}",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(LlmEndpoint.KeyFileVariable) is { Length: > 0 } f ? f : null,
        };
        var llmTimeout = new Option<int>("--llm-timeout") { Description = "Seconds one LLM call may take", DefaultValueFactory = _ => 60 };
        LlmEndpoint? Llm(System.CommandLine.ParseResult r) => r.GetValue(llmEndpoint) is { } endpoint
            ? new LlmEndpoint(endpoint, r.GetValue(llmModel) ?? "", r.GetValue(llmKeyFile), TimeSpan.FromSeconds(r.GetValue(llmTimeout)))
            : null;
        var command = new Command("serve", "Start a node with the gateway and the dashboard (embedded defaults: localhost clustering, durable in one SQLite file and files under --data).")
        {
            data, dashboardPort, httpPort, grpcPort, storage, pg, artifactStore, signingKey, computeSlots, siloPort, clusterPort, queues, siloOnly, clusterId, dashboardAuth, logFormat, logLevel, neuralModels,
            llmEndpoint, llmModel, llmKeyFile, llmTimeout,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(queues) is { } list)
            {
                try { SiloTiers.Parse(list); }
                catch (ArgumentException ex) { result.AddError(ex.Message); }
            }
            if (result.GetValue(dashboardAuth) is { } credentials && DashboardBasicAuth.Validate(credentials) is { } problem)
                result.AddError(problem);
            if (result.GetValue(storage) == "postgres" && string.IsNullOrWhiteSpace(result.GetValue(pg)))
                result.AddError("--storage postgres needs --pg \"Host=…\" (deploy/pg-up.sh prints one).");
            if (result.GetValue(neuralModels) is { } neural && NeuralModels.Validate(neural) is { } missing)
                result.AddError(missing);
            if (result.GetValue(llmEndpoint) is { } endpoint
                && new LlmEndpoint(endpoint, result.GetValue(llmModel) ?? "", result.GetValue(llmKeyFile), TimeSpan.FromSeconds(result.GetValue(llmTimeout))).Validate() is { } llmProblem)
                result.AddError(llmProblem);
            else if (result.GetValue(llmEndpoint) is null && (result.GetValue(llmModel) is not null || result.GetValue(llmKeyFile) is not null))
                result.AddError("--llm-model and --llm-api-key-file go with --llm-endpoint URL.");
            if (result.GetValue(artifactStore) == "postgres" && result.GetValue(storage) != "postgres")
                result.AddError("--artifact-store postgres needs --storage postgres --pg \"Host=…\".");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            // --log-level is checked by the parser; the variable that gives its default is checked here.
            if (!LogLevels.TryGetValue(parse.GetValue(logLevel)!, out var minimumLevel))
            {
                await Console.Error.WriteLineAsync($"RADMAH_LOG_LEVEL '{parse.GetValue(logLevel)}' is not a log level; use one of {string.Join(", ", LogLevels.Keys)}.");
                return 2;
            }
            var options = new NodeOptions
            {
                DataDirectory = parse.GetValue(data)!,
                DashboardPort = parse.GetValue(dashboardPort),
                HttpPort = parse.GetValue(httpPort),
                GrpcPort = parse.GetValue(grpcPort),
                SiloPort = parse.GetValue(siloPort),
                GatewayPort = parse.GetValue(clusterPort),
                Storage = parse.GetValue(storage) switch { "postgres" => StorageProfile.Postgres, "sqlite" => StorageProfile.Sqlite, _ => StorageProfile.Memory },
                PostgresConnectionString = parse.GetValue(pg),
                ArtifactStore = parse.GetValue(artifactStore) == "postgres" ? ArtifactStoreProfile.Postgres : ArtifactStoreProfile.Local,
                SigningKeyPath = parse.GetValue(signingKey),
                ComputeSlots = parse.GetValue(computeSlots),
                Queues = parse.GetValue(queues) is { } list ? SiloTiers.Parse(list) : null,
                SiloOnly = parse.GetValue(siloOnly),
                ClusterId = parse.GetValue(clusterId)!,
                DashboardCredentials = parse.GetValue(dashboardAuth),
                JsonLogs = parse.GetValue(logFormat) == "json",
                MinimumLogLevel = minimumLevel,
                NeuralModels = parse.GetValue(neuralModels),
                Llm = Llm(parse),
            };
            using var host = await NodeHost.StartAsync(options, cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static readonly Dictionary<string, Microsoft.Extensions.Logging.LogLevel> LogLevels = new(StringComparer.Ordinal)
    {
        ["debug"] = Microsoft.Extensions.Logging.LogLevel.Debug,
        ["information"] = Microsoft.Extensions.Logging.LogLevel.Information,
        ["warning"] = Microsoft.Extensions.Logging.LogLevel.Warning,
        ["error"] = Microsoft.Extensions.Logging.LogLevel.Error,
    };

    private static Option<int> PortOption(string name, string description, int fallback)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 65535) r.AddError($"{name} must be between 1 and 65535.");
        });
        return option;
    }
}
