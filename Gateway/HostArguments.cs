namespace RadMah.Gateway;

/// <summary>The arguments every host of the platform (node, gateway, admin client) is built with.</summary>
public static class HostArguments
{
    /// <summary>
    /// No watching of configuration files for changes: the platform reads none at run time, and each watch is an inotify instance,
    /// of which Linux allows a user 128 across every process (a host that cannot get one fails to start).
    /// </summary>
    public static string[] Defaults => ["--hostBuilder:reloadConfigOnChange=false"];
}
