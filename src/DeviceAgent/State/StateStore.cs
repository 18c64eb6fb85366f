using System.Text.Json;
using DeviceAgent.Configuration;
using DeviceAgent.Pki.Files;

namespace DeviceAgent.State;

/// <summary>
/// state.json in the state directory, written crash-safely: a temporary file in the same
/// directory, fsync, rename over the old file, fsync of the directory. A reader sees the old state
/// or the new one, never a mix, whenever the process or the power dies. Not thread-safe (one agent
/// per state directory).
/// </summary>
public sealed class StateStore(string directory)
{
    // ENOSPC, which .NET puts in IOException.HResult on Unix: 28 on every Linux architecture (asm-generic/errno-base.h).
    private const int NoSpaceLeft = 28;

    /// <summary>The state file.</summary>
    public string FilePath { get; } = Path.Combine(directory, "state.json");

    /// <summary>The state, or null when there is none.</summary>
    /// <exception cref="StateException">The file exists but is unreadable, not JSON, or from a newer agent.</exception>
    public AgentState? Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(FilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StateException($"state file '{FilePath}' is not readable by this user; the agent must own its state directory", e);
        }
        AgentState? state;
        try
        {
            state = JsonSerializer.Deserialize(text, AgentJsonContext.Default.AgentState);
        }
        catch (JsonException e)
        {
            throw new StateException($"state file '{FilePath}' is damaged ({e.Message}); run 'deviceagent reset' to provision again", e);
        }
        if (state is null)
            throw new StateException($"state file '{FilePath}' is empty; run 'deviceagent reset' to provision again");
        if (state.SchemaVersion > AgentState.CurrentSchemaVersion)
            throw new StateException($"state file '{FilePath}' has schema version {state.SchemaVersion}, newer than this agent ({AgentState.CurrentSchemaVersion}); upgrade the agent or reset");
        return state;
    }

    /// <summary>Replaces the state atomically and durably.</summary>
    /// <exception cref="IOException">The directory is not writable or the disk failed.</exception>
    public void Save(AgentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var json = JsonSerializer.SerializeToUtf8Bytes(state, AgentJsonContext.Default.AgentState);
        Directory.CreateDirectory(directory);
        // One agent per state directory: a fixed name, so a temporary file left by a crash is
        // truncated by the next write instead of accumulating.
        var temp = Path.Combine(directory, ".state.json.tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, FilePath, overwrite: true); // rename(2): atomic within the directory
            DirectorySync.Flush(directory);
        }
        catch (IOException e) when (e.HResult == NoSpaceLeft)
        {
            throw new IOException($"cannot save the agent state: the file system of '{directory}' is full; the previous state file is kept; free space there", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Saves a new assignment, keeping the renewal fields of the saved state (the renewed credential the
    /// registration was made with, a pending renewal, a retired key): a re-provisioning moves the device,
    /// not its credential. An unreadable saved state keeps nothing.
    /// </summary>
    /// <exception cref="IOException">The directory is not writable or the disk failed.</exception>
    public void SaveAssignment(AgentState assigned)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        AgentState? previous;
        try
        {
            previous = Load();
        }
        catch (StateException)
        {
            previous = null;
        }
        Save(assigned with { Credential = previous?.Credential, PendingRenewal = previous?.PendingRenewal, RetiredKey = previous?.RetiredKey });
    }

    /// <summary>Deletes the state file (durably), whatever it holds.</summary>
    public void Delete()
    {
        if (!File.Exists(FilePath))
            return;
        File.Delete(FilePath);
        DirectorySync.Flush(directory);
    }

    /// <summary>
    /// Forgets the assignment (durably); true when there was one. A renewed credential (with a renewal in
    /// progress and a retired key) is kept: after a renewal identity.key may be destroyed, and the renewed
    /// key is then the device's only identity, so the next start provisions with it
    /// (<see cref="AgentState.IsAssigned"/> is false). Without one the file is deleted.
    /// </summary>
    /// <exception cref="IOException">The state could not be written or deleted.</exception>
    public bool Reset()
    {
        if (!File.Exists(FilePath))
            return false;
        AgentState? state;
        try
        {
            state = Load();
        }
        catch (StateException)
        {
            state = null; // damaged: nothing in it can be kept
        }
        if (state is { Credential: not null } or { PendingRenewal: not null } or { RetiredKey: not null })
        {
            Save(state with { AssignedHub = "", DeviceId = "", CertificateThumbprint = "", Attestation = null, Substatus = null, ReturnedPayload = null });
            return state.IsAssigned;
        }
        File.Delete(FilePath);
        DirectorySync.Flush(directory);
        return true;
    }
}

/// <summary>The agent's state file cannot be used.</summary>
public sealed class StateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateException() : base("the state file cannot be used") { }

    /// <summary>Creates the exception.</summary>
    public StateException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public StateException(string message, Exception innerException) : base(message, innerException) { }
}
