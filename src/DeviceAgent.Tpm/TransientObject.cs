namespace DeviceAgent.Tpm;

/// <summary>
/// A transient object this process loaded, flushed on dispose so the TPM's object slots (three on
/// swtpm, few on a discrete TPM) never run out without a resource manager. Not thread-safe.
/// </summary>
public sealed class TransientObject(Tpm2 tpm, uint handle, ReadOnlyMemory<byte> name) : IDisposable
{
    private bool _flushed;

    /// <summary>The transient handle.</summary>
    public uint Handle { get; } = handle;

    /// <summary>The object's Name.</summary>
    public ReadOnlyMemory<byte> Name { get; } = name;

    /// <summary>The handle as a command names it, with an auth value.</summary>
    public TpmHandle ToHandle(ReadOnlyMemory<byte>? authValue = null) => new(Handle, Name, authValue);

    /// <summary>Flushes the object (TPM2_FlushContext).</summary>
    public void Dispose()
    {
        if (_flushed)
            return;
        _flushed = true;
        tpm.FlushContext(Handle);
    }
}
