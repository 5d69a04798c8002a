using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadMah.Sdk;

/// <summary>JSON over HTTP with the gateway's error envelope turned into typed exceptions.</summary>
internal sealed class ApiConnection(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new RadMahApiException(0, "INTERNAL", "the server sent an empty response.", []);
    }

    /// <summary>The response body as sent, for documents kept verbatim (seal proofs).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

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
            _ when details.Any(d => d["reason"]?.GetValue<string>() == "INSUFFICIENT_CREDITS") => new InsufficientCreditsException(code, status, message, details),
            _ when status == "INVALID_ARGUMENT" => new ValidationException(code, status, message, details),
            _ => new RadMahApiException(code, status, message, details),
        };
    }
}
