using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace RadMah.Sdk;

/// <summary>An uploaded dataset: what analyze, fit and lift jobs read.</summary>
public sealed record Dataset(string Id, string Name, string Format, string ContentHash, long SizeBytes, string ArtifactId, DateTime CreatedAt);

internal sealed record DatasetListData(IReadOnlyList<Dataset>? Datasets);

/// <summary><c>client.Datasets</c>: upload files, list and look up the account's datasets.</summary>
public sealed class DatasetsClient
{
    private readonly RadMahClient _client;

    internal DatasetsClient(RadMahClient client) => _client = client;

    /// <summary>
    /// Uploads a file (CSV, TSV, Parquet, Arrow IPC or JSON Lines), streamed from disk: it is never
    /// read into memory whole. The format is detected from the content unless <paramref name="format"/> says.
    /// </summary>
    /// <remarks>Refused for the rate limit (429), it is sent again from the file's start after Retry-After.</remarks>
    public Task<Dataset> UploadAsync(string path, string? name = null, string? format = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no file at {path}.", path);
        return UploadAsync(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan),
            name ?? Path.GetFileName(path), format, Resend.OnlyWhenRateLimited, cancellationToken);
    }

    /// <summary>Uploads from a stream (read to its end; sent once, never retried).</summary>
    public Task<Dataset> UploadAsync(Stream content, string name, string? format = null, CancellationToken cancellationToken = default) =>
        UploadAsync(() => content, name, format, Resend.Never, cancellationToken);

    private async Task<Dataset> UploadAsync(Func<Stream> open, string name, string? format, Resend resend, CancellationToken cancellationToken)
    {
        var query = $"v1/datasets?name={Uri.EscapeDataString(name)}" + (format is null ? "" : $"&format={Uri.EscapeDataString(format)}");
        using var response = await _client.Api.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = new StreamContent(open(), 1 << 16) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, resend, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<Dataset>(ApiConnection.Json, cancellationToken).ConfigureAwait(false)
            ?? throw new RadMahApiException(0, "INTERNAL", "the server sent an empty response.", []);
    }

    /// <summary>The account's datasets, newest first.</summary>
    public async Task<IReadOnlyList<Dataset>> ListAsync(CancellationToken cancellationToken = default) =>
        (await _client.Api.SendAsync<DatasetListData>(HttpMethod.Get, "v1/datasets", null, cancellationToken).ConfigureAwait(false)).Datasets ?? [];

    public Task<Dataset> GetAsync(string datasetId, CancellationToken cancellationToken = default) =>
        _client.Api.SendAsync<Dataset>(HttpMethod.Get, $"v1/datasets/{Uri.EscapeDataString(datasetId)}", null, cancellationToken);
}
