using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm;

/// <summary>TPMS_CONTEXT (Part 2 14.5): a saved object or session, to be loaded again with ContextLoad.</summary>
public sealed record TpmsContext(ulong Sequence, uint SavedHandle, uint Hierarchy, ReadOnlyMemory<byte> ContextBlob);

/// <summary>Context management (Part 3 28): slots, persistence, flushing.</summary>
public sealed partial class Tpm2
{
    /// <summary>TPM2_FlushContext (Part 3 28.4): frees a transient object's or session's slot.</summary>
    public void FlushContext(uint handle) =>
        Execute(TpmCc.FlushContext, new TpmWriter().WriteUInt32(handle).ToArray());

    /// <summary>
    /// TPM2_EvictControl (Part 3 28.5): makes a transient object persistent at
    /// <paramref name="persistentHandle"/>, or (given the persistent handle as the object)
    /// removes it. Needs owner (or platform) authorization.
    /// </summary>
    public void EvictControl(TpmHandle auth, uint objectHandle, uint persistentHandle, Sessions.TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(auth);
        Execute(TpmCc.EvictControl, [auth, new TpmHandle(objectHandle)], 1, new TpmWriter().WriteUInt32(persistentHandle).ToArray(), out _, 0,
            session is null ? null : [session]);
    }

    /// <summary>TPM2_ContextSave (Part 3 28.2): saves a transient object or session so its slot can be freed.</summary>
    public TpmsContext ContextSave(uint handle)
    {
        var reader = Execute(TpmCc.ContextSave, [new TpmHandle(handle)], 0, [], out _);
        var context = new TpmsContext(reader.ReadUInt64("sequence"), reader.ReadUInt32("savedHandle"), reader.ReadUInt32("hierarchy"), reader.ReadTpm2b("contextBlob"));
        reader.ExpectEnd();
        return context;
    }

    /// <summary>TPM2_ContextLoad (Part 3 28.3): loads a saved context; returns its (new) handle.</summary>
    public uint ContextLoad(TpmsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writer = new TpmWriter().WriteUInt64(context.Sequence).WriteUInt32(context.SavedHandle).WriteUInt32(context.Hierarchy).WriteTpm2b(context.ContextBlob.Span);
        Execute(TpmCc.ContextLoad, [], 0, writer.ToArray(), out var handles, 1);
        return handles[0];
    }
}
