using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OpenAI;
using RadMah.Engine.Fabrication.Llm;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces.Submission;
using RadMah.Grains.Storage;

namespace RadMah.Grains.Tests.Llm;

/// <summary>A cluster whose silo has an LLM backend: the real OpenAI-compatible client, pointed at <see cref="FakeChatServer"/>, with a 2 s call timeout.</summary>
public sealed class LlmClusterFixture : IAsyncLifetime
{
    public const string Model = "recorded-model";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "radmah-llm-" + Guid.NewGuid().ToString("N"));
    public FakeChatServer Server { get; private set; } = null!;
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        Server = await FakeChatServer.StartAsync();
        var endpoint = Server.Endpoint;
        var data = DataDirectory;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddProcessMemoryGrainStorage(RadMahStorage.Name);
            silo.UseInMemoryReminderService();
            var client = new OpenAI.Chat.ChatClient(Model, new ApiKeyCredential("test-key"),
                new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = TimeSpan.FromSeconds(30) }).AsIChatClient();
            silo.Services.AddSingleton(new LlmBackend(client, Model, "openai-compatible", TimeSpan.FromSeconds(2), maxRepairs: 2));
            silo.AddRadMahGrains(o =>
            {
                o.DataDirectory = data;
                o.WorkParallelism = 2;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public Task<IAccountJobsGrain> NewAccountAsync(decimal credits = 100m) => Client.NewAccountAsync(Grains.Interfaces.Accounts.AccountPlan.Pro, credits);

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
