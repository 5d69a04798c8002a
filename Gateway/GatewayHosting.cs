using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RadMah.Gateway.Errors;
using RadMah.Gateway.Security;
using RadMah.Gateway.Services;
using RadMah.Gateway.Validation;

namespace RadMah.Gateway;

/// <summary>Adds the gateway to a web host: standalone (Orleans client) or co-hosted with a silo by `radmah serve`.</summary>
public static class GatewayHosting
{
    /// <summary>Registers gRPC, JSON transcoding, reflection, health, API-key authentication and plan rate limits, and the two listeners.</summary>
    public static WebApplicationBuilder AddRadMahGateway(this WebApplicationBuilder builder, GatewayOptions options)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            if (options.ListenAnyAddress)
            {
                kestrel.ListenAnyIP(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
                kestrel.ListenAnyIP(options.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            }
            else
            {
                kestrel.ListenLocalhost(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
                kestrel.ListenLocalhost(options.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        var services = builder.Services;
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            grpc.Interceptors.Add<UnknownGrpcFieldsInterceptor>();
            grpc.MaxReceiveMessageSize = options.MaxGrpcMessageBytes;
            grpc.EnableDetailedErrors = false;
        }).AddJsonTranscoding(transcoding =>
        {
            // Error details are google.rpc messages packed in Any; JSON needs their descriptors.
            transcoding.TypeRegistry = TypeRegistry.FromMessages(BadRequest.Descriptor, ErrorInfo.Descriptor);
        });
        services.AddGrpcReflection();
        // Checks run when asked, so a probe never reads a stale answer.
        services.AddGrpcHealthChecks(health => health.UseHealthChecksCache = false).AddCheck<ClusterHealthCheck>("cluster").AddCheck<StorageHealthCheck>("storage");
        services.AddSingleton(options);
        // A driver's error inside an Orleans error (a grain that failed to activate) can be read, and answered as what it is.
        services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddPlanRateLimits();
        services.AddSingleton<AccountPlans>();
        services.AddSingleton<KeyRefusals>();
        // Refusals are reported as counts once a minute (KeyRefusals), not as a log line each.
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);
        services.AddSingleton<CallerJobs>();
        services.AddSingleton<DatasetUploads>();
        return builder;
    }

    public static WebApplication MapRadMahGateway(this WebApplication app)
    {
        app.UseMiddleware<RestErrorEnvelopeMiddleware>();
        app.UseMiddleware<RequestBodyLimits>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<UnknownRestFieldsMiddleware>();
        app.MapGrpcService<JobsService>();
        app.MapGrpcService<AccountsService>();
        app.MapGrpcService<SealsService>();
        // gRPC lifts the HTTP body limit for its calls itself (it caps each message instead), so a
        // client-streamed upload of any length needs nothing here; the plan caps the upload.
        app.MapGrpcService<DatasetsService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapArtifactContent();
        app.MapJobWatch();
        app.MapDatasetUpload();
        var document = OpenApi.OpenApiDocument.Build(V1.Jobs.Descriptor, V1.Accounts.Descriptor, V1.Seals.Descriptor, V1.Datasets.Descriptor).ToJsonString();
        app.MapGet(OpenApi.OpenApiDocument.Path, () => Results.Text(document, "application/json"));
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "RadMah API";
            ui.SwaggerEndpoint(OpenApi.OpenApiDocument.Path, "RadMah API v1");
        });
        return app;
    }
}
