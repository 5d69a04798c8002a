using System.Security.Cryptography;

namespace RadMah.Sdk;

/// <summary><c>client.Artifacts</c>: list a job's artifacts and download them with digest checks.</summary>
public sealed class ArtifactsClient
{
    public const string DigestHeader = "X-Content-SHA256";

    private readonly RadMahClient _client;

    internal ArtifactsClient(RadMahClient client) => _client = client;

    public async Task<IReadOnlyList<Artifact>> ListAsync(string jobId, CancellationToken cancellationToken = default) =>
        (await _client.Api.SendAsync<ArtifactList>(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(jobId)}/artifacts", null, cancellationToken).ConfigureAwait(false)).Artifacts ?? [];

    /// <summary>
    /// Streams the artifact to <paramref name="path"/>, hashing while it writes. The file appears
    /// only when the SHA-256 matches the digest the server announced; otherwise nothing is left
    /// behind and <see cref="InvalidDataException"/> is thrown.
    /// </summary>
    public async Task DownloadAsync(string artifactId, string path, CancellationToken cancellationToken = default)
    {
        using var response = await _client.Api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/artifacts/{Uri.EscapeDataString(artifactId)}/content"),
            Resend.Safe, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var expected = response.Headers.TryGetValues(DigestHeader, out var values) ? values.FirstOrDefault() : null;
        if (expected is null) throw new InvalidDataException($"the server sent no {DigestHeader} header for {artifactId}.");
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            var actual = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != expected) throw new InvalidDataException($"artifact {artifactId} arrived with digest {actual}, not the announced {expected}.");
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }
}
