using System.Net.Http.Headers;

namespace RadMah.Sdk;

/// <summary>
/// The entry point, as on the product page: <c>new RadMahClient(apiKey: "sl_live_...")</c>.
/// The key may also come from RADMAH_API_KEY and the base URL from RADMAH_BASE_URL
/// (default http://localhost:5080, the gateway of `radmah serve`). Answers 429 (and, for reads and
/// creates, 503) are retried up to <c>maxRetries</c> times, after the Retry-After the server asks.
/// </summary>
public sealed class RadMahClient : IDisposable
{
    public const string ApiKeyVariable = "RADMAH_API_KEY";
    public const string BaseUrlVariable = "RADMAH_BASE_URL";
    public const string DefaultBaseUrl = "http://localhost:5080";

    private readonly bool _ownsHttp;

    public RadMahClient(string? apiKey = null, string? baseUrl = null, HttpClient? httpClient = null, int maxRetries = 3)
    {
        apiKey ??= Environment.GetEnvironmentVariable(ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
            throw new ArgumentException($"An API key is needed: pass apiKey or set {ApiKeyVariable}.", nameof(apiKey));
        baseUrl ??= Environment.GetEnvironmentVariable(BaseUrlVariable) ?? DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"'{baseUrl}' is not an http(s) URL.", nameof(baseUrl));
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        _ownsHttp = httpClient is null;
        Http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Http.BaseAddress = baseUri;
        Http.DefaultRequestHeaders.Remove("X-API-Key");
        Http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Api = new ApiConnection(Http, maxRetries);
        Jobs = new JobsClient(this);
        Artifacts = new ArtifactsClient(this);
        Seals = new SealsClient(this);
        Datasets = new DatasetsClient(this);
    }

    /// <summary>Uploaded data: what analyze, fit and lift jobs read.</summary>
    public DatasetsClient Datasets { get; }

    /// <summary>The seal log: proofs, checkpoints and the public keys that sign bundles and checkpoints.</summary>
    public SealsClient Seals { get; }

    public JobsClient Jobs { get; }

    public ArtifactsClient Artifacts { get; }

    internal HttpClient Http { get; }

    internal ApiConnection Api { get; }

    /// <summary>What a job of <paramref name="kind"/> over <paramref name="rows"/> rows would cost.</summary>
    public Task<CreditEstimate> EstimateAsync(long rows, string kind, CancellationToken cancellationToken = default) =>
        Api.SendAsync<CreditEstimate>(HttpMethod.Post, "v1/client/estimate", new { rows, kind }, cancellationToken);

    /// <summary>The account behind the API key: plan, balance, held and available credits.</summary>
    public Task<AccountInfo> GetAccountAsync(CancellationToken cancellationToken = default) =>
        Api.SendAsync<AccountInfo>(HttpMethod.Get, "v1/account", null, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp) Http.Dispose();
    }
}
