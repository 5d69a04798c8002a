using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RadMah.Engine.Evidence;
using RadMah.Grains.Hosting;
using RadMah.Grains.Interfaces.Seals;
using RadMah.Grains.Records;

namespace RadMah.Grains.Evidence;

/// <summary>
/// This silo's signing key for evidence bundles and log checkpoints: the file at
/// <see cref="RadMahSiloOptions.SigningKeyPath"/> (DATA/keys/signing-key.pem by default), created on
/// first use with owner-only permissions. Its public half is published in the platform records
/// before anything is signed with it, so every signature ever made stays verifiable after a rotation.
/// Give every silo of a deployment the same path (or file) for one deployment-wide key.
/// </summary>
public sealed class EvidenceSigner(IOptions<RadMahSiloOptions> options, IOptions<ClusterOptions> cluster, IPlatformRecords records) : IDisposable
{
    private readonly Lock _gate = new();
    private SigningKey? _key;
    private volatile bool _published;

    public string ClusterId => cluster.Value.ClusterId;

    /// <summary>The log's origin line: one log per service.</summary>
    public string LogOrigin => $"radmah.dev/seals/{cluster.Value.ServiceId}";

    /// <summary>The key, once its public half is published.</summary>
    public async Task<SigningKey> KeyAsync()
    {
        var key = Load();
        if (!_published)
        {
            await records.AddSigningKeyAsync(new PublicKeyView(key.KeyId, SigningKey.Algorithm, key.Public.Pem, DateTime.UtcNow));
            _published = true;
        }
        return key;
    }

    /// <summary>
    /// Loads (or creates) the key once. A failure is not remembered, unlike Lazy&lt;T&gt;'s: a key file
    /// another silo was still writing, or a transient I/O error, is simply tried again next time.
    /// </summary>
    private SigningKey Load()
    {
        lock (_gate)
            return _key ??= SigningKey.LoadOrCreate(options.Value.SigningKeyPath ?? Path.Combine(options.Value.DataDirectory, "keys", "signing-key.pem"));
    }

    public void Dispose()
    {
        lock (_gate) _key?.Dispose();
    }
}
