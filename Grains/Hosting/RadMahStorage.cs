namespace RadMah.Grains.Hosting;

/// <summary>The grain storage provider every platform grain persists through.</summary>
public static class RadMahStorage
{
    public const string Name = "radmah";
}
