namespace RadMah.Gateway.Errors;

/// <summary>
/// One deadline per API call, from its arrival: authentication and the call itself share it, so no
/// caller waits longer than <see cref="GatewayOptions.CallDeadline"/> in all before being told to retry.
/// </summary>
public static class CallDeadline
{
    private static readonly object Key = new();

    /// <summary>The time left for this call; the deadline starts with the first question asked.</summary>
    public static TimeSpan Remaining(HttpContext context, GatewayOptions options)
    {
        if (context.Items[Key] is not DateTime deadline) context.Items[Key] = deadline = DateTime.UtcNow + options.CallDeadline;
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
