namespace RadMah.Grains.Storage;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes the state; if the write fails, the activation is deactivated before the error goes
    /// on. The grain changed its state in memory before writing, so after a failed write memory no
    /// longer matches storage: the next call must start from what storage holds, not from a change
    /// that never became durable (for example a debit, while storage was away).
    /// </summary>
    public static async Task WriteOrForgetAsync<T>(this IPersistentState<T> state, IGrainBase grain)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            grain.GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, ex,
                "a state write failed; the activation's memory no longer matches storage"));
            throw;
        }
    }
}
