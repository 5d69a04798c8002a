using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RadMah.Silo.Tests;

/// <summary>The dashboard behind basic authentication, with the API and health endpoints unaffected.</summary>
public sealed class DashboardAuthTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("radmah-dash-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static AuthenticationHeaderValue Basic(string credentials) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    [Fact]
    public async Task Dashboard_needs_the_configured_credentials_and_nothing_else_does()
    {
        var ct = TestContext.Current.CancellationToken;
        var dashboardPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        using var node = await NodeHost.StartAsync(new NodeOptions
        {
            DataDirectory = _data,
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            DashboardPort = dashboardPort,
            HttpPort = httpPort,
            GrpcPort = FreePorts.Next(),
            DashboardCredentials = "ops:s3cret:with-colon",
            MinimumLogLevel = LogLevel.Warning,
        }, ct);
        using var http = new HttpClient();
        var dashboard = $"http://127.0.0.1:{dashboardPort}/dashboard";

        var anonymous = await http.GetAsync(dashboard, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());

        foreach (var wrong in new[] { "ops:wrong", "ops:s3cret", "Ops:s3cret:with-colon" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, dashboard) { Headers = { Authorization = Basic(wrong) } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request, ct)).StatusCode);
        }
        using (var garbled = new HttpRequestMessage(HttpMethod.Get, dashboard))
        {
            garbled.Headers.TryAddWithoutValidation("Authorization", "Basic %%%not-base64");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(garbled, ct)).StatusCode);
        }

        // "/dashboard" redirects to "/dashboard/"; HttpClient (unlike a browser after a challenge) drops credentials on a redirect.
        using var right = new HttpRequestMessage(HttpMethod.Get, dashboard + "/") { Headers = { Authorization = Basic("ops:s3cret:with-colon") } };
        var page = await http.SendAsync(right, ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{httpPort}/healthz", ct)).StatusCode);
        await node.StopAsync(ct);
    }

    [Theory]
    [InlineData("nopassword")]
    [InlineData(":password")]
    [InlineData("user:")]
    public void Malformed_credentials_are_refused(string credentials) => Assert.NotNull(DashboardBasicAuth.Validate(credentials));
}
