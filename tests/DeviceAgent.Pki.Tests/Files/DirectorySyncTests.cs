using DeviceAgent.Pki.Files;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Files;

/// <summary>
/// The directory fsync on this machine's architecture. The same code on arm64 instructions is
/// exercised by the emulated device (Deploy.Tests' Arm64Device tier: the agent's first state
/// save in `provision` is a DirectorySync.Flush), which is where an x86-64-only open(2) flag fails.
/// </summary>
public sealed class DirectorySyncTests
{
    [Fact]
    public void Flushes_a_directory_after_a_rename_in_it()
    {
        using var temp = new TempDirectory();
        var file = temp.File("state.json.tmp", "{}");
        File.Move(file, System.IO.Path.Combine(temp.Path, "state.json"));

        DirectorySync.Flush(temp.Path);

        Assert.True(File.Exists(System.IO.Path.Combine(temp.Path, "state.json")));
    }

    [Fact]
    public void Flushes_a_directory_the_process_may_only_read()
    {
        using var temp = new TempDirectory();
        File.SetUnixFileMode(temp.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            DirectorySync.Flush(temp.Path);
        }
        finally
        {
            File.SetUnixFileMode(temp.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_missing_directory_is_an_IOException_naming_it_and_the_errno()
    {
        using var temp = new TempDirectory();
        var missing = System.IO.Path.Combine(temp.Path, "gone");

        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));

        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("errno 2", error.Message, StringComparison.Ordinal); // ENOENT
    }
}
