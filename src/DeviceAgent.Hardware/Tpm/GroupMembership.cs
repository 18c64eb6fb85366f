using System.Globalization;

namespace DeviceAgent.Hardware.Tpm;

/// <summary>
/// Whether this process holds a group, from etc/group and proc/self/status under a root
/// directory (the real / in production, a fake tree in tests). Membership is what the process
/// has now: a user added to a group later gets it only at the next login or service start.
/// </summary>
internal static class GroupMembership
{
    /// <summary>The group's id, or null when etc/group has no such group (or cannot be read).</summary>
    public static int? GroupId(string root, string group)
    {
        foreach (var line in ReadLines(Path.Combine(root, "etc", "group")))
        {
            // name:password:gid:members
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                return gid;
        }
        return null;
    }

    /// <summary>The process's real and supplementary group ids, or null when proc/self/status cannot be read.</summary>
    public static IReadOnlySet<int>? ProcessGroups(string root)
    {
        var lines = ReadLines(Path.Combine(root, "proc", "self", "status"));
        if (lines.Length == 0)
            return null;
        var groups = new HashSet<int>();
        foreach (var line in lines)
        {
            // "Gid:\treal\teffective\tsaved\tfs" and "Groups:\tg1 g2 ..."
            if (line.StartsWith("Gid:", StringComparison.Ordinal) || line.StartsWith("Groups:", StringComparison.Ordinal))
            {
                foreach (var field in line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                        groups.Add(gid);
                }
            }
        }
        return groups;
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
