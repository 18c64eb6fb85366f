using System.Security.Cryptography;
using DeviceAgent.Keys;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Tpm.Keys;

/// <summary>
/// The <c>tpm:</c> key backend: <c>tpm:handle=0x81000101</c> names a persistent key in the TPM that
/// <see cref="Spec"/> names, reached through our stack with no resource-manager daemon. The
/// backend opens one connection on first use and shares it (swtpm serves one client at a time;
/// commands are serialised); keys it hands out borrow it. The optional auth value is the PIN
/// (<see cref="KeyReference.Pin"/>). Thread-safe. Dispose closes the connection.
/// </summary>
public sealed class TpmKeyBackend : IKeyBackend, ITlsKeySource, IKeyGenerator, IKeyDestroyer, IDisposable
{
    private readonly Func<ITpmTransport, ITpmTransport> _decorate;
    private readonly Lock _lock = new();
    private Tpm2? _tpm;

    /// <summary>Serves keys of the TPM <paramref name="spec"/> names; <paramref name="decorate"/> wraps the transport (a <see cref="CountingTransport"/>).</summary>
    public TpmKeyBackend(TpmSpec spec, Func<ITpmTransport, ITpmTransport>? decorate = null)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _decorate = decorate ?? (t => t);
    }

    /// <summary>The TPM.</summary>
    public TpmSpec Spec { get; }

    /// <inheritdoc />
    public string Scheme => "tpm";

    /// <summary>The shared connection, opened on first use.</summary>
    /// <exception cref="KeyCustodyException">The TPM is not reachable.</exception>
    public Tpm2 Tpm
    {
        get
        {
            lock (_lock)
            {
                if (_tpm is not null)
                    return _tpm;
                try
                {
                    _tpm = new Tpm2(_decorate(Spec.Open()));
                    _tpm.SelfTest();
                }
                catch (TpmException ex)
                {
                    throw new KeyCustodyException(KeyCustodyError.TokenNotFound, $"TPM {Spec}: {ex.Message}", ex);
                }
                return _tpm;
            }
        }
    }

    /// <inheritdoc />
    public DevicePublicKey GetPublicKey(KeyReference key)
    {
        var read = Guard(key, handle => Tpm.ReadPublic(handle));
        return new DevicePublicKey(AlgorithmOf(read.Public), read.Public.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The key's TPMA_OBJECT attributes.</summary>
    /// <exception cref="KeyCustodyException">No such key, or the TPM is unreachable.</exception>
    public TpmaObject ReadAttributes(KeyReference key) => Guard(key, handle => Tpm.ReadPublic(handle)).Public.ObjectAttributes;

    /// <inheritdoc />
    public AsymmetricAlgorithm OpenPrivateKey(KeyReference key)
    {
        var auth = ReadAuth(key);
        var signing = Guard(key, handle => new TpmSigningKey(Tpm, handle, auth));
        return signing.Public.Type == TpmAlgId.Ecc ? new TpmECDsa(signing) : new TpmRsa(signing);
    }

    /// <summary>
    /// The same TPM-backed <see cref="ECDsa"/>/<see cref="RSA"/> as <see cref="OpenPrivateKey"/>, turned by
    /// <see cref="OpenSslKeyMethodBridge"/> into the OpenSSL key SslStream needs (its sign callback calls
    /// back into the TPM), so each handshake costs one TPM2_Sign.
    /// </summary>
    /// <exception cref="KeyCustodyException">No such key, the TPM is unreachable, or OpenSSL refused the bridge.</exception>
    public AsymmetricAlgorithm OpenForTls(KeyReference key)
    {
        var privateKey = OpenPrivateKey(key);
        try
        {
            return OpenSslKeyMethodBridge.Open(privateKey, GetPublicKey(key), key.ToString());
        }
        catch
        {
            privateKey.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public DevicePublicKey CreateKey(KeyReference key, KeyAlgorithm algorithm)
    {
        if (algorithm is not (KeyAlgorithm.EcP256 or KeyAlgorithm.Rsa3072))
            throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, $"a TPM device key is ec-p256 (the default) or rsa-3072, not {algorithm.Name()}");
        var auth = ReadAuth(key);
        var created = Guard(key, handle =>
        {
            if (Provisioning.PersistentPrimary.TryReadPublic(Tpm, handle) is not null)
                throw new KeyCustodyException(KeyCustodyError.KeyAlreadyExists, $"the TPM already holds a key at 0x{handle:X8} ({key}); evict it or choose another handle");
            return DeviceKeyFactory.Create(Tpm, handle, DeviceKeyFactory.TemplateFor(algorithm == KeyAlgorithm.Rsa3072), auth.Span);
        });
        return new DevicePublicKey(algorithm, created.Public.ExportSubjectPublicKeyInfo());
    }

    /// <summary>
    /// Attests the key (<see cref="Attestation.KeyAttestor"/>): this TPM, whose EK certificate chains to a CA
    /// <paramref name="verifier"/> trusts, made it and it cannot leave; and it is <paramref name="expectedKey"/>
    /// (a SubjectPublicKeyInfo, the key of the certification request).
    /// </summary>
    /// <exception cref="Attestation.KeyAttestationException">A check failed.</exception>
    /// <exception cref="KeyCustodyException">No such key, a wrong auth value, or the TPM is unreachable.</exception>
    public Attestation.KeyAttestationResult Attest(KeyReference key, Attestation.KeyAttestationVerifier verifier, ReadOnlyMemory<byte> expectedKey)
    {
        var auth = ReadAuth(key);
        return Guard(key, handle => Attestation.KeyAttestor.Attest(Tpm, handle, auth, verifier, expectedKey.Span));
    }

    /// <inheritdoc />
    /// <remarks>TPM2_EvictControl of the persistent object (Part 3 28.5): the key is gone from the TPM.</remarks>
    public bool DestroyKey(KeyReference key) =>
        Guard(key, handle =>
        {
            if (Provisioning.PersistentPrimary.TryReadPublic(Tpm, handle) is null)
                return false;
            Tpm.EvictControl(TpmHandle.Owner, handle, handle);
            return true;
        });

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _tpm?.Dispose();
            _tpm = null;
        }
    }

    private static KeyAlgorithm AlgorithmOf(Structures.TpmtPublic pub) => pub.Parameters switch
    {
        Structures.TpmsEccParms { CurveId: TpmEccCurve.NistP256 } => KeyAlgorithm.EcP256,
        Structures.TpmsEccParms { CurveId: TpmEccCurve.NistP384 } => KeyAlgorithm.EcP384,
        Structures.TpmsRsaParms { KeyBits: 2048 } => KeyAlgorithm.Rsa2048,
        Structures.TpmsRsaParms { KeyBits: 3072 } => KeyAlgorithm.Rsa3072,
        _ => throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, $"the TPM key is a {pub.Type} key this agent does not use"),
    };

    private static ReadOnlyMemory<byte> ReadAuth(KeyReference key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Pin is null)
            return ReadOnlyMemory<byte>.Empty;
        using var pin = key.Pin.Read();
        return pin.Utf8.ToArray();
    }

    private T Guard<T>(KeyReference key, Func<uint, T> operation)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.TpmHandle is not { } handle)
            throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference, $"'{key}' is not a tpm:handle=0x81XXXXXX reference");
        try
        {
            return operation(handle);
        }
        catch (Attestation.KeyAttestationException)
        {
            throw;
        }
        catch (TpmResponseException ex) when (ex.Code == TpmRc.Handle)
        {
            throw new KeyCustodyException(KeyCustodyError.KeyNotFound,
                $"the TPM {Spec} holds no key at 0x{handle:X8} ({key}); create it with 'bringup device create --tpm {Spec} --key {key}'", ex);
        }
        catch (TpmResponseException ex) when (ex.Code is TpmRc.AuthFail or TpmRc.BadAuth or TpmRc.Lockout)
        {
            throw new KeyCustodyException(KeyCustodyError.PinRejected, $"TPM key {key}: {ex.Message}", ex);
        }
        catch (TpmException ex)
        {
            throw new KeyCustodyException(KeyCustodyError.TokenOperationFailed, $"TPM {Spec}, key {key}: {ex.Message}", ex);
        }
    }
}
