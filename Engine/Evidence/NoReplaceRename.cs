using System.Runtime.InteropServices;

namespace RadMah.Engine.Evidence;

/// <summary>
/// Gives a complete file a name only if no file has that name yet, atomically: of processes
/// racing to publish, exactly one wins and the others see the winner's file. File.Move without
/// overwrite is not enough on Unix: .NET checks that the name is free and then rename(2)s, which
/// replaces a file published between the two steps.
/// </summary>
internal static class NoReplaceRename
{
    private const int AlreadyExists = 17; // EEXIST on Linux and macOS

    /// <summary>
    /// Names <paramref name="source"/> <paramref name="destination"/> and returns true, or returns
    /// false (leaving both untouched) when <paramref name="destination"/> already exists.
    /// </summary>
    public static bool TryMove(string source, string destination)
    {
        // Windows' MoveFileEx without MOVEFILE_REPLACE_EXISTING is itself atomic.
        if (OperatingSystem.IsWindows()) return MoveUnlessPresent(source, destination);
        if (Link(source, destination) == 0)
        {
            File.Delete(source);
            return true;
        }
        var error = Marshal.GetLastPInvokeError();
        if (error == AlreadyExists) return false;
        // A file system without hard links (some FUSE and FAT mounts): the best .NET offers.
        return MoveUnlessPresent(source, destination);
    }

    private static bool MoveUnlessPresent(string source, string destination)
    {
        try
        {
            File.Move(source, destination, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which Engine does not allow.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
