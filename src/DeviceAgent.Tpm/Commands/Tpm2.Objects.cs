using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm;

/// <summary>The result of TPM2_CreatePrimary: a loaded transient object.</summary>
public sealed record CreatePrimaryResult(uint Handle, TpmtPublic Public, ReadOnlyMemory<byte> Name);

/// <summary>The result of TPM2_Create: the object's private (wrapped by its parent) and public areas.</summary>
public sealed record CreateResult(ReadOnlyMemory<byte> Private, TpmtPublic Public);

/// <summary>The result of TPM2_ReadPublic.</summary>
public sealed record ReadPublicResult(TpmtPublic Public, ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> QualifiedName);

/// <summary>Object creation, loading and reading (Part 3 12 and 24).</summary>
public sealed partial class Tpm2
{
    /// <summary>
    /// TPM2_CreatePrimary (Part 3 24.1): a primary object of a hierarchy from its template, derived
    /// from the hierarchy's seed (the same template gives the same key). The caller flushes it.
    /// </summary>
    public CreatePrimaryResult CreatePrimary(TpmHandle hierarchy, TpmtPublic template, ReadOnlySpan<byte> userAuth = default, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        ArgumentNullException.ThrowIfNull(template);
        var writer = new TpmWriter();
        WriteSensitiveCreate(writer, userAuth);
        template.WriteSized(writer);
        writer.WriteTpm2b([]).WriteUInt32(0); // outsideInfo, creationPCR (empty TPML_PCR_SELECTION)
        var reader = Execute(TpmCc.CreatePrimary, [hierarchy], 1, writer.ToArray(), out var handles, 1, Sessions(session));
        var outPublic = TpmtPublic.ReadSized(reader);
        SkipCreationOutputs(reader);
        var name = reader.ReadTpm2b("name");
        return new CreatePrimaryResult(handles[0], outPublic, name);
    }

    /// <summary>
    /// TPM2_Create (Part 3 12.1): an ordinary object under a loaded parent, returned wrapped; load it
    /// with <see cref="Load"/>. <paramref name="sensitiveData"/> is the key of a KEYEDHASH object (then
    /// sensitiveDataOrigin must be clear) or the data to seal; empty, the TPM generates the key.
    /// </summary>
    public CreateResult Create(TpmHandle parent, TpmtPublic template, ReadOnlySpan<byte> userAuth = default, TpmSession? session = null,
        ReadOnlySpan<byte> sensitiveData = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(template);
        var writer = new TpmWriter();
        WriteSensitiveCreate(writer, userAuth, sensitiveData);
        template.WriteSized(writer);
        writer.WriteTpm2b([]).WriteUInt32(0);
        var reader = Execute(TpmCc.Create, [parent], 1, writer.ToArray(), out _, 0, Sessions(session));
        var outPrivate = reader.ReadTpm2b("outPrivate");
        var outPublic = TpmtPublic.ReadSized(reader);
        SkipCreationOutputs(reader);
        reader.ExpectEnd();
        return new CreateResult(outPrivate, outPublic);
    }

    /// <summary>TPM2_Load (Part 3 12.2): loads a wrapped object under its parent; returns its transient handle and Name. The caller flushes it.</summary>
    public (uint Handle, ReadOnlyMemory<byte> Name) Load(TpmHandle parent, ReadOnlySpan<byte> inPrivate, TpmtPublic inPublic, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(inPublic);
        var writer = new TpmWriter().WriteTpm2b(inPrivate);
        inPublic.WriteSized(writer);
        var reader = Execute(TpmCc.Load, [parent], 1, writer.ToArray(), out var handles, 1, Sessions(session));
        var name = reader.ReadTpm2b("name");
        reader.ExpectEnd();
        return (handles[0], name);
    }

    /// <summary>TPM2_ReadPublic (Part 3 12.4): an object's public area and Name; needs no authorization.</summary>
    public ReadPublicResult ReadPublic(uint objectHandle)
    {
        var reader = Execute(TpmCc.ReadPublic, [new TpmHandle(objectHandle)], 0, [], out _);
        var outPublic = TpmtPublic.ReadSized(reader);
        var name = reader.ReadTpm2b("name");
        var qualified = reader.ReadTpm2b("qualifiedName");
        reader.ExpectEnd();
        return new ReadPublicResult(outPublic, name, qualified);
    }

    /// <summary>
    /// TPM2_ActivateCredential (Part 3 12.5): recovers the credential MakeCredential bound to the
    /// object's Name, with the key (an EK) that decrypts the seed. The activate handle needs ADMIN
    /// authorization, the key USER authorization (for an EK, a policy session satisfied by
    /// PolicySecret(TPM_RH_ENDORSEMENT)).
    /// </summary>
    public byte[] ActivateCredential(TpmHandle activateHandle, TpmHandle keyHandle, ReadOnlySpan<byte> credentialBlob, ReadOnlySpan<byte> secret,
        TpmSession? activateSession = null, TpmSession? keySession = null)
    {
        ArgumentNullException.ThrowIfNull(activateHandle);
        ArgumentNullException.ThrowIfNull(keyHandle);
        var writer = new TpmWriter().WriteTpm2b(credentialBlob).WriteTpm2b(secret);
        var reader = Execute(TpmCc.ActivateCredential, [activateHandle, keyHandle], 2, writer.ToArray(), out _, 0,
            [activateSession ?? PasswordSession.Instance, keySession ?? PasswordSession.Instance]);
        var certInfo = reader.ReadTpm2b("certInfo");
        reader.ExpectEnd();
        return certInfo;
    }

    /// <summary>
    /// TPM2_Import (Part 3 13.3): re-wraps a duplicated object (outer wrapper from
    /// <paramref name="inSymSeed"/>, optional inner wrapper with <paramref name="encryptionKey"/>)
    /// under a new parent; load the returned private with <see cref="Load"/>.
    /// </summary>
    public byte[] Import(TpmHandle parent, ReadOnlySpan<byte> encryptionKey, TpmtPublic objectPublic, ReadOnlySpan<byte> duplicate,
        ReadOnlySpan<byte> inSymSeed, TpmtSymDefObject symmetricAlg, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(objectPublic);
        ArgumentNullException.ThrowIfNull(symmetricAlg);
        var writer = new TpmWriter().WriteTpm2b(encryptionKey);
        objectPublic.WriteSized(writer);
        writer.WriteTpm2b(duplicate).WriteTpm2b(inSymSeed);
        symmetricAlg.Write(writer);
        var reader = Execute(TpmCc.Import, [parent], 1, writer.ToArray(), out _, 0, Sessions(session));
        var outPrivate = reader.ReadTpm2b("outPrivate");
        reader.ExpectEnd();
        return outPrivate;
    }

    // TPM2B_SENSITIVE_CREATE (Part 2 11.1.16): userAuth || data (empty: the TPM generates the key).
    private static void WriteSensitiveCreate(TpmWriter writer, ReadOnlySpan<byte> userAuth, ReadOnlySpan<byte> data = default)
    {
        var inner = new TpmWriter().WriteTpm2b(userAuth).WriteTpm2b(data);
        writer.WriteTpm2b(inner.WrittenSpan);
    }

    // creationData (TPM2B_CREATION_DATA), creationHash (TPM2B_DIGEST), creationTicket (TPMT_TK_CREATION).
    private static void SkipCreationOutputs(TpmReader reader)
    {
        reader.ReadTpm2b("creationData");
        reader.ReadTpm2b("creationHash");
        TpmTicket.Read(reader);
    }

    private static TpmSession[]? Sessions(TpmSession? session) => session is null ? null : [session];
}
