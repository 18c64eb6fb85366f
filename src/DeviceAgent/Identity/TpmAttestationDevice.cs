using System.Security.Cryptography;
using DeviceAgent.Provisioning;
using DeviceAgent.Provisioning.Tpm;
using DeviceAgent.Tpm;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Identity;

/// <summary>
/// The TPM of a device with <c>provisioning.attestation: "tpm"</c>, through our own stack: the EK
/// (TCG template L-1 at 0x81010001, created only when absent: the EK tpm2_createek reports) and the
/// RSA SRK at 0x81000002 (<see cref="TpmAuthenticationKey"/>), DPS's blobs recovered inside it and
/// kept at 0x81000100 (after provisioning: the hub key), SAS tokens signed there by TPM2_HMAC.
/// One connection, commands serialised (thread-safe). Dispose closes it.
/// </summary>
public sealed class TpmAttestationDevice : IDpsTpmDevice, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Tpm2 _tpm;
    private byte[]? _endorsementKey;
    private byte[]? _storageRootKey;

    private TpmAttestationDevice(TpmSpec spec, Tpm2 tpm)
    {
        Spec = spec;
        _tpm = tpm;
    }

    /// <summary>The TPM.</summary>
    public TpmSpec Spec { get; }

    /// <summary>Opens the TPM and creates the EK and SRK when absent.</summary>
    /// <exception cref="IdentityException">The TPM is unreachable or refuses (the message names it and what to check).</exception>
    public static TpmAttestationDevice Open(TpmSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Tpm2? tpm = null;
        try
        {
            tpm = new Tpm2(spec.Open());
            tpm.SelfTest();
            var device = new TpmAttestationDevice(spec, tpm);
            device.LoadPrimaries();
            return device;
        }
        catch (TpmException e)
        {
            tpm?.Dispose();
            throw new IdentityException($"TPM {spec}: {e.Message}; check identity.tpm", e);
        }
    }

    /// <inheritdoc />
    public byte[] EndorsementKey => _endorsementKey!;

    /// <inheritdoc />
    public byte[] StorageRootKey => _storageRootKey!;

    /// <summary>
    /// The registration id this TPM suggests (used when provisioning.registrationId is unset), derived
    /// as the official SDKs derive it (Node azure-iot-security-tpm getRegistrationId, C# SecurityProviderTpm):
    /// SHA-256 over the EK's TPM2B_PUBLIC (the file tpm2_createek -u writes), base32 (RFC 4648 6),
    /// lowercase, without padding: 52 characters, so a factory gets the same id whichever client it uses.
    /// </summary>
    public string SuggestedRegistrationId => SuggestRegistrationId(EndorsementKey);

    /// <summary>The suggested registration id for an EK's TPM2B_PUBLIC.</summary>
    public static string SuggestRegistrationId(ReadOnlySpan<byte> endorsementKey)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(endorsementKey, digest);
        var text = new System.Text.StringBuilder((digest.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var octet in digest)
        {
            buffer = (buffer << 8) | octet;
            for (bits += 8; bits >= 5; bits -= 5)
                text.Append(alphabet[(buffer >> (bits - 5)) & 31]);
        }
        if (bits > 0)
            text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return text.ToString();
    }

    /// <summary>Whether the TPM holds an imported DPS key (the hub key after provisioning).</summary>
    public bool HasAuthenticationKey
    {
        get
        {
            lock (_lock)
                return PersistentPrimary.TryReadPublic(_tpm, TpmAuthenticationKey.PersistentHandle) is { Public.Type: TpmAlgId.KeyedHash };
        }
    }

    /// <summary>The EK certificate's NV index when the TPM holds one (0x01C00002 RSA, 0x01C0000A ECC), else null.</summary>
    public uint? EndorsementCertificateIndex()
    {
        lock (_lock)
        {
            foreach (var index in new[] { Tpm2.EkCertificateRsaIndex, Tpm2.EkCertificateEccIndex })
            {
                try
                {
                    _tpm.NvReadPublic(index);
                    return index;
                }
                catch (TpmResponseException)
                {
                    // Not defined.
                }
            }
            return null;
        }
    }

    /// <inheritdoc />
    public void ImportAuthenticationKey(byte[] authenticationKey)
    {
        ArgumentNullException.ThrowIfNull(authenticationKey);
        lock (_lock)
        {
            try
            {
                TpmAuthenticationKey.Import(_tpm, authenticationKey);
            }
            catch (TpmException e)
            {
                throw new ProvisioningException($"TPM {Spec}: {e.Message}", null, likelyCause:
                    "DPS's key was made for another TPM (the enrollment's endorsement key is not this TPM's) or was altered on the way", innerException: e, transient: false);
            }
        }
    }

    /// <inheritdoc />
    public byte[] Sign(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        lock (_lock)
        {
            try
            {
                return TpmAuthenticationKey.Sign(_tpm, data);
            }
            catch (TpmException e)
            {
                throw new ProvisioningException($"TPM {Spec}: {e.Message}", null, innerException: e, transient: e is TpmTransportException);
            }
        }
    }

    /// <summary>A hub SAS token (no key name) for <c>{hub}/devices/{deviceId}</c>, signed in the TPM.</summary>
    /// <exception cref="ProvisioningException">The TPM holds no hub key or failed.</exception>
    public string HubToken(string hub, string deviceId, DateTimeOffset expires) =>
        SasToken.Create($"{hub}/devices/{deviceId}", expires, null, Sign);

    /// <inheritdoc />
    public void Dispose() => _tpm.Dispose();

    private void LoadPrimaries()
    {
        var (ek, srk) = TpmAuthenticationKey.EnsurePrimaries(_tpm);
        _endorsementKey = TpmAuthenticationKey.ToTpm2bPublic(ek.Public);
        _storageRootKey = TpmAuthenticationKey.ToTpm2bPublic(srk.Public);
    }
}
