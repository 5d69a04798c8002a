using System.Runtime.CompilerServices;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using RadMah.Gateway.Security;
using RadMah.Gateway.V1;
using RadMah.Grains.Interfaces.Datasets;

namespace RadMah.Gateway.Services;

/// <summary>The Datasets API: uploads (gRPC client streaming here; REST in <see cref="DatasetUploadEndpoint"/>), listing and look-up.</summary>
[Authorize]
public sealed class DatasetsService(IGrainFactory grains, DatasetUploads uploads) : Datasets.DatasetsBase
{
    public override async Task<Dataset> UploadDataset(IAsyncStreamReader<UploadDatasetRequest> requestStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken))
            throw new Grains.Interfaces.RadMahException(Grains.Interfaces.RadMahException.InvalidArgument, "the upload is empty.", "data");
        var first = requestStream.Current;
        try
        {
            var record = await uploads.UploadAsync(context.AccountId(), first.Name, first.Format, Chunks(first, requestStream, context.CancellationToken), context.CancellationToken);
            return record.ToProto();
        }
        catch (UploadTooLargeException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
        }
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(UploadDatasetRequest first, IAsyncStreamReader<UploadDatasetRequest> rest,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!first.Data.IsEmpty) yield return first.Data.Memory;
        while (await rest.MoveNext(cancellationToken))
            if (!rest.Current.Data.IsEmpty) yield return rest.Current.Data.Memory;
    }

    public override async Task<ListDatasetsResponse> ListDatasets(ListDatasetsRequest request, ServerCallContext context)
    {
        var response = new ListDatasetsResponse();
        response.Datasets.AddRange((await grains.GetGrain<IAccountDatasetsGrain>(context.AccountId()).ListAsync()).Select(d => d.ToProto()));
        return response;
    }

    public override async Task<Dataset> GetDataset(GetDatasetRequest request, ServerCallContext context) =>
        (await grains.GetGrain<IAccountDatasetsGrain>(context.AccountId()).GetAsync(request.DatasetId)).ToProto();
}
