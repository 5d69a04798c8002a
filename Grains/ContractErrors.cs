using RadMah.Engine.Contracts;
using RadMah.Grains.Interfaces;

namespace RadMah.Grains;

/// <summary>The engine's refusals as the platform's errors: the one place a <see cref="ContractFault"/> becomes an error code.</summary>
public static class ContractErrors
{
    public static RadMahException ToPlatformError(this ContractException ex) => new(ex.Fault switch
    {
        ContractFault.NotFound => RadMahException.NotFound,
        ContractFault.FailedPrecondition => RadMahException.FailedPrecondition,
        _ => RadMahException.InvalidArgument,
    }, ex.Message, ex.Field);
}
