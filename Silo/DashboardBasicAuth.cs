using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RadMah.Silo;

/// <summary>
/// Optional HTTP basic authentication in front of the Orleans dashboard (and only the dashboard):
/// the dashboard shows every grain and silo, so a deployment reachable by others can close it.
/// Credentials are "user:password", compared in constant time.
/// </summary>
public static class DashboardBasicAuth
{
    public const string EnvironmentVariable = "RADMAH_DASHBOARD_AUTH";

    /// <summary>Null when <paramref name="credentials"/> is usable, otherwise why not.</summary>
    public static string? Validate(string credentials)
    {
        var colon = credentials.IndexOf(':');
        if (colon <= 0 || colon == credentials.Length - 1)
            return "dashboard credentials must look like USER:PASSWORD, both non-empty.";
        return null;
    }

    public static WebApplication UseDashboardBasicAuth(this WebApplication app, string pathPrefix, string credentials)
    {
        if (Validate(credentials) is { } problem) throw new ArgumentException(problem, nameof(credentials));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(credentials));
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(pathPrefix, StringComparison.OrdinalIgnoreCase) || Authorized(context.Request, expected))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"RadMah dashboard\", charset=\"UTF-8\"";
        });
        return app;
    }

    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header["Basic ".Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        // Hashing first makes the comparison constant-time whatever the lengths.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded), expected);
    }
}
