using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace RadMah.Grains.Storage;

public static class StorageSiloBuilderExtensions
{
    /// <summary>Registers <see cref="ProcessMemoryGrainStorage"/> under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddProcessMemoryGrainStorage(this ISiloBuilder builder, string name)
    {
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => new ProcessMemoryGrainStorage(name, services.GetRequiredService<Serializer>()));
        return builder;
    }
}
