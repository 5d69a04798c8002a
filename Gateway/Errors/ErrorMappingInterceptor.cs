using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using RadMah.Grains.Interfaces;

namespace RadMah.Gateway.Errors;

/// <summary>
/// Turns the platform's errors into gRPC statuses with google.rpc details: field violations for
/// bad input (BadRequest), ErrorInfo with reason INSUFFICIENT_CREDITS when credits are short or
/// IDEMPOTENCY_KEY_REUSED when a key comes back with a different request (ALREADY_EXISTS, 409), and
/// UNAVAILABLE with a retry hint when the cluster or its storage is briefly away. A unary call has
/// a deadline (<see cref="GatewayOptions.CallDeadline"/>): past it the caller is told to retry
/// rather than left waiting for a silo that died.
/// </summary>
public sealed class ErrorMappingInterceptor(GatewayOptions options, ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public const string Domain = "radmah.ai";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).WaitAsync(CallDeadline.Remaining(context.GetHttpContext(), options), context.CancellationToken);
        }
        catch (Exception ex) when (Map(ex, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (Map(ex, context) is { } mapped)
        {
            throw mapped;
        }
    }

    private RpcException? Map(Exception ex, ServerCallContext context)
    {
        switch (ex)
        {
            case RpcException:
                return null;
            case RadMahException { Code: RadMahException.Internal } internalError:
                logger.LogError(internalError, "A grain reported an internal error");
                return new RpcException(new Grpc.Core.Status(StatusCode.Internal, "internal error; see the node's log."));
            case RadMahException platform when platform.Code != RadMahException.Unavailable:
                return ToRpc(platform.Code, platform.Message, platform.Field);
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the call was cancelled."));
            case var _ when Unavailable.Applies(ex):
                logger.LogWarning("A call met a transient fault and was answered UNAVAILABLE: {Error}", ex.GetBaseException().Message);
                Unavailable.AddRetryAfter(context.GetHttpContext());
                context.ResponseTrailers.Add("grpc-retry-pushback-ms", (Unavailable.RetryAfterSeconds * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, Unavailable.Message));
            default:
                logger.LogError(ex, "Unhandled error in a gateway call");
                return new RpcException(new Grpc.Core.Status(StatusCode.Internal, "internal error; see the gateway log."));
        }
    }

    public static RpcException ToRpc(string code, string message, string? field)
    {
        var status = new Google.Rpc.Status { Message = message };
        switch (code)
        {
            case RadMahException.InvalidArgument:
                status.Code = (int)Code.InvalidArgument;
                if (field is not null)
                    status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = message } } }));
                break;
            case RadMahException.NotFound:
                status.Code = (int)Code.NotFound;
                break;
            case RadMahException.Conflict:
                status.Code = (int)Code.AlreadyExists;
                status.Details.Add(Any.Pack(new ErrorInfo { Reason = "IDEMPOTENCY_KEY_REUSED", Domain = Domain }));
                break;
            case RadMahException.InsufficientCredits:
                status.Code = (int)Code.FailedPrecondition;
                status.Details.Add(Any.Pack(new ErrorInfo { Reason = "INSUFFICIENT_CREDITS", Domain = Domain }));
                break;
            default:
                status.Code = (int)Code.FailedPrecondition;
                break;
        }
        return status.ToRpcException();
    }
}
