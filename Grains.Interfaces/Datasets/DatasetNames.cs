namespace RadMah.Grains.Interfaces.Datasets;

/// <summary>What a dataset may be called: a file name of 1 to 255 characters, without path separators or control characters.</summary>
public static class DatasetNames
{
    public const int MaxLength = 255;

    public static void Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new RadMahException(RadMahException.InvalidArgument, "a dataset needs a name.", "name");
        if (name.Length > MaxLength) throw new RadMahException(RadMahException.InvalidArgument, $"a dataset name has at most {MaxLength} characters; got {name.Length}.", "name");
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.Any(char.IsControl) || name is "." or "..")
            throw new RadMahException(RadMahException.InvalidArgument, $"'{name}' is not a file name (no path separators or control characters).", "name");
    }
}
