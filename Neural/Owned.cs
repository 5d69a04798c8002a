namespace RadMah.Neural;

/// <summary>A network just built holds LibTorch memory: if what is done with it fails, that memory is given back at once, not at finalization.</summary>
internal static class Owned
{
    public static T Use<TModel, T>(TModel model, Func<TModel, T> use) where TModel : IDisposable
    {
        try
        {
            return use(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
