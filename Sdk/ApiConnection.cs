using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Sdk;

/// <summary>Whether a request may be sent again after an answer that does not say it was refused before anything happened.</summary>
internal enum Resend
{
    /// <summary>Reads, and creates carrying an idempotency key: also retried on 502/503/504 and on lost connections.</summary>
    Safe,

    /// <summary>Requests that could act twice (rerun, cancel, uploads): retried only on 429, which the gateway answers before doing anything.</summary>
    OnlyWhenRateLimited,

    /// <summary>Requests that cannot be built again (a body read from a caller's stream).</summary>
    Never,
}

/// <summary>JSON over HTTP with the gateway's error envelope turned into typed exceptions, and bounded retries.</summary>
internal sealed class ApiConnection(HttpClient http, int maxRetries)
{
    /// <summary>The longest the client waits between two tries, whatever Retry-After asks.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public HttpClient Http => http;

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        Resend resend = Resend.Safe, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = JsonContent.Create(body, options: Json);
            foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
            return request;
        }, resend, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new RadMahApiException(0, "INTERNAL", "the server sent an empty response.", []);
    }

    /// <summary>The response body as sent, for documents kept verbatim (seal proofs).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), Resend.Safe, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the request built by <paramref name="build"/> (a new one each try) and returns the
    /// successful response, or throws the typed error. 429 is retried after its Retry-After;
    /// for <see cref="Resend.Safe"/> requests also 502, 503 (after its Retry-After), 504 and lost
    /// connections, with exponential backoff; at most <c>maxRetries</c> times.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, Resend resend, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            using (var request = build())
            {
                try
                {
                    response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException) when (resend == Resend.Safe && attempt < maxRetries)
                {
                    await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            if (response.IsSuccessStatusCode) return response;
            if (resend != Resend.Never && attempt < maxRetries && Retries(response.StatusCode, resend))
            {
                var delay = RetryDelay(response, attempt);
                response.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (response) await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Retries(HttpStatusCode status, Resend resend) =>
        status == HttpStatusCode.TooManyRequests
        || (resend == Resend.Safe && status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout);

    private static TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var asked = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : (TimeSpan?)null);
        var delay = asked is { } a && a > TimeSpan.Zero ? a : Backoff(attempt);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>0.5 s, 1 s, 2 s, … with ±20% jitter, so clients refused together do not come back together.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, 0.5 * Math.Pow(2, attempt)) * (0.8 + 0.4 * Random.Shared.NextDouble()));

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = "UNKNOWN";
        var message = $"HTTP {(int)response.StatusCode}";
        var details = new List<JsonObject>();
        try
        {
            if (JsonNode.Parse(text)?["error"] is JsonObject error)
            {
                status = error["status"]?.GetValue<string>() ?? status;
                message = error["message"]?.GetValue<string>() ?? message;
                if (error["details"] is JsonArray array) details.AddRange(array.OfType<JsonObject>());
            }
        }
        catch (JsonException)
        {
            // Not the gateway's envelope (a proxy's page, say): keep the HTTP status as the message.
        }
        var code = (int)response.StatusCode;
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new AuthenticationException(code, status, message, details),
            HttpStatusCode.NotFound => new NotFoundException(code, status, message, details),
            HttpStatusCode.TooManyRequests => new RateLimitedException(code, status, message, details, response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)),
            HttpStatusCode.Conflict => new ConflictException(code, status, message, details),
            _ when details.Any(d => d["reason"]?.GetValue<string>() == "INSUFFICIENT_CREDITS") => new InsufficientCreditsException(code, status, message, details),
            _ when status == "INVALID_ARGUMENT" => new ValidationException(code, status, message, details),
            _ => new RadMahApiException(code, status, message, details),
        };
    }
}
