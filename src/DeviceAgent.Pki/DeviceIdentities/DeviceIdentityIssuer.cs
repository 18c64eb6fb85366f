using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Inspection;
using DeviceAgent.Pki.Profiles;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.DeviceIdentities;

/// <summary>
/// Gives devices their identity from one CA: the key generated inside the device's token (or a
/// request made elsewhere), the leaf issued with CN = registration id, the chain validated
/// (<see cref="ChainBundleValidator"/>, with the root as the only trust anchor and the device key
/// as the expected leaf key) and written as <c>chain.pem</c> + <c>root.pem</c>.
/// </summary>
/// <remarks>
/// Idempotent: an output that already holds this device's identity from this CA is reported,
/// not reissued. A registration id already issued by any CA of the store is refused as a
/// duplicate, except when every earlier certificate for it was logged for this very output
/// directory and never written there (a run interrupted between logging and writing; the
/// certificate never left the process), or when a reissue is asked for. Not thread-safe.
/// </remarks>
public sealed class DeviceIdentityIssuer
{
    private readonly CertificateAuthority _ca;
    private readonly RegistrationLedger _ledger;
    private readonly KeyBackends _keys;
    private readonly ChainBundleValidator _validator;

    /// <summary>Issues from <paramref name="issuer"/>, checking duplicates against <paramref name="ledger"/> (which it keeps up to date).</summary>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="clock"/> is null.</exception>
    public DeviceIdentityIssuer(CertificateAuthority issuer, RegistrationLedger ledger, KeyBackends keys, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(keys);
        _ca = issuer;
        _ledger = ledger;
        _keys = keys;
        _validator = new ChainBundleValidator(clock ?? TimeProvider.System);
    }

    /// <summary>
    /// Attests a device key before its leaf is issued (<see cref="CreateInToken"/>); null: no attestation
    /// beyond the token's custody attributes.
    /// </summary>
    public IDeviceKeyAttestor? KeyAttestor { get; init; }

    /// <summary>
    /// Generates the device key inside its token (or reuses the one a previous attempt made),
    /// signs a PKCS#10 request with it, issues the leaf and writes the identity.
    /// </summary>
    /// <exception cref="CertificateAuthorityException">A duplicate registration id, an output that holds another identity, a key whose
    /// custody is not proven, a chain without its root, or an integrity failure.</exception>
    /// <exception cref="KeyCustodyException">The module, token, PIN or key generation failed.</exception>
    /// <exception cref="CertificationRequestException">The token's signature over the request does not verify, or its key is refused.</exception>
    /// <exception cref="IOException">An output or the CA's state cannot be written.</exception>
    /// <remarks>What <see cref="KeyAttestor"/> throws when it cannot attest the key propagates; nothing is issued then.</remarks>
    public DeviceIdentity CreateInToken(KeyReference deviceKey, KeyAlgorithm algorithm, RegistrationId registrationId, string outputDirectory,
        TimeSpan validity, bool reissue = false)
    {
        ArgumentNullException.ThrowIfNull(deviceKey);
        ArgumentNullException.ThrowIfNull(registrationId);
        var output = Path.GetFullPath(outputDirectory);
        var root = RootOrThrow();
        // Only an existing chain.pem needs the token's key to be compared with; reading it costs a token login.
        var existingKey = File.Exists(ChainPath(output)) ? TryReadPublicKey(deviceKey) : null;
        if (AlreadyThere(output, registrationId, existingKey?.SubjectPublicKeyInfo, root, keyExisted: true) is { } done)
            return done;
        var outcome = CheckLedger(registrationId, output, reissue);

        var clock = Stopwatch.StartNew();
        using var opened = KeyPreparation.EnsureAndOpen(_keys, deviceKey, algorithm);
        var prepared = opened.Prepared;
        if (prepared.Custody is { ProvesNonExportable: false } custody)
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.KeyCustodyNotProven,
                $"device key {deviceKey}: its attributes do not prove it was generated inside the token and cannot leave it: "
                + $"{string.Join("; ", custody.Problems)}; a device identity needs a key generated in the token (use a new label)");
        }
        var keyGeneration = clock.Elapsed;
        clock.Restart();
        var request = CertificationRequest.Create(opened.PrivateKey, DistinguishedNames.FromCommonName(registrationId.Value));
        var requestSigning = clock.Elapsed;
        // Before anything is signed: the key the request certifies is the one the token proves it made.
        var attestation = KeyAttestor?.Attest(deviceKey, request.PublicKey);
        return Complete(request, registrationId, output, validity, outcome, root, prepared.Existed, keyGeneration, requestSigning, attestation);
    }

    /// <summary>Issues the leaf for a request made elsewhere (a line station received it from the device) and writes the identity.</summary>
    /// <exception cref="CertificateAuthorityException">A duplicate registration id, an output that holds another identity, a chain
    /// without its root, or an integrity failure.</exception>
    /// <exception cref="IOException">An output or the CA's state cannot be written.</exception>
    public DeviceIdentity IssueFromRequest(CertificationRequest request, RegistrationId registrationId, string outputDirectory,
        TimeSpan validity, bool reissue = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registrationId);
        var output = Path.GetFullPath(outputDirectory);
        var root = RootOrThrow();
        if (AlreadyThere(output, registrationId, request.PublicKey.ExportSubjectPublicKeyInfo(), root, keyExisted: null) is { } done)
            return done;
        var outcome = CheckLedger(registrationId, output, reissue);
        return Complete(request, registrationId, output, validity, outcome, root, null, TimeSpan.Zero, TimeSpan.Zero);
    }

    private DeviceIdentity Complete(CertificationRequest request, RegistrationId id, string output, TimeSpan validity,
        DeviceIdentityOutcome outcome, X509Certificate2 root, bool? keyExisted, TimeSpan keyGeneration, TimeSpan requestSigning,
        KeyAttestationRecord? attestation = null)
    {
        var clock = Stopwatch.StartNew();
        using var issued = _ca.IssueDevice(new DeviceCertificateRequest(request, id, validity, output, attestation));
        _ledger.Add(_ca.Name, [issued.Record]);
        var intermediates = _ca.ChainToRoot.Take(_ca.ChainToRoot.Count - 1).ToList();
        Validate(issued.Certificate, intermediates, root, request.PublicKey, id);
        var issuance = clock.Elapsed;
        clock.Restart();
        DeviceIdentityFiles.Write(output, issued.Certificate, intermediates, root);
        var writing = clock.Elapsed;
        var warnings = issued.ValidityClamped
            ? new[] { $"the validity was cut to end with the CA chain's, on {issued.Record.NotAfter:yyyy-MM-dd'T'HH:mm:ss'Z'}" }
            : [];
        return new DeviceIdentity(id, outcome, CertificateDetails.Of(issued.Certificate), ChainPath(output), RootPath(output), keyExisted,
            new DeviceIssuanceTimings(keyGeneration, requestSigning, issuance, writing), warnings, attestation);
    }

    private void Validate(X509Certificate2 leaf, List<X509Certificate2> intermediates, X509Certificate2 root, PublicKey key, RegistrationId id)
    {
        using var bundle = ChainBundle.Create([leaf, .. intermediates], $"chain of '{id}'");
        var report = _validator.Validate(bundle, new ChainValidationOptions
        {
            LeafKey = ExpectedLeafKey.FromPublicKey(key, "the device key"),
            TrustAnchors = [root],
        });
        if (!report.IsValid)
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.IntegrityFailure,
                $"CA '{_ca.Name}': the chain it just issued for '{id}' does not validate: {report.Violations[0].Message}; nothing was written");
        }
    }

    private DeviceIdentity? AlreadyThere(string output, RegistrationId id, ReadOnlyMemory<byte>? deviceKey, X509Certificate2 root, bool? keyExisted)
    {
        ChainBundle? bundle;
        try
        {
            bundle = DeviceIdentityFiles.TryRead(output);
        }
        catch (ChainBundleFormatException e)
        {
            throw Conflict(output, $"it cannot be read ({e.Message})", e);
        }
        if (bundle is null)
            return null;
        using (bundle)
        {
            var leaf = bundle.Leaf;
            var commonName = DistinguishedNames.CommonName(leaf.SubjectName);
            var mismatch =
                !string.Equals(commonName, id.Value, StringComparison.OrdinalIgnoreCase) ? $"it is the identity of '{commonName}'"
                : !CertificateSignature.IsIssuedBy(leaf, _ca.Certificate) ? $"it was issued by \"{leaf.Issuer}\", not by CA '{_ca.Name}'"
                : deviceKey is not { } key ? "the device key it certifies is not in the token"
                : !SubjectPublicKey.Of(leaf).SameKeyAs(SubjectPublicKey.Read(key.Span)) ? "it certifies another key than the device key"
                : null;
            if (mismatch is not null)
                throw Conflict(output, mismatch, null);
            if (!File.Exists(RootPath(output)))
                DeviceIdentityFiles.Write(output, leaf, bundle.Intermediates, root);
            return new DeviceIdentity(id, DeviceIdentityOutcome.AlreadyDone, CertificateDetails.Of(leaf), ChainPath(output), RootPath(output),
                keyExisted, DeviceIssuanceTimings.None, []);
        }
    }

    /// <summary>
    /// Why issuing for <paramref name="registrationId"/> into <paramref name="outputDirectory"/> would be refused as a
    /// duplicate; null when it would not (a new id, an interrupted run for this output, or a reissue). Lets a batch refuse
    /// its duplicates before it issues anything.
    /// </summary>
    public string? FindDuplicate(RegistrationId registrationId, string outputDirectory, bool reissue = false)
    {
        ArgumentNullException.ThrowIfNull(registrationId);
        var output = Path.GetFullPath(outputDirectory);
        var earlier = _ledger.Find(registrationId);
        if (earlier.Count == 0 || reissue || earlier.All(e => string.Equals(e.Record.Output, output, StringComparison.Ordinal)))
            return null;
        var (ca, last) = earlier[^1];
        var where = last.Output is null ? "" : $", written to '{last.Output}'";
        return $"registration id '{registrationId}' already has a certificate: CA '{ca}' issued it on {last.Time:yyyy-MM-dd'T'HH:mm:ss'Z'} "
            + $"(serial {last.Serial}, SHA-1 thumbprint {last.Thumbprint}){where}; DPS registration ids are unique per service (case-insensitive), "
            + "so a second device with this id would take over the first one's registration";
    }

    private DeviceIdentityOutcome CheckLedger(RegistrationId id, string output, bool reissue)
    {
        if (FindDuplicate(id, output, reissue) is { } duplicate)
            throw new CertificateAuthorityException(CertificateAuthorityError.DuplicateRegistrationId, duplicate);
        return _ledger.Find(id).Count == 0 ? DeviceIdentityOutcome.Issued : DeviceIdentityOutcome.Reissued;
    }

    private X509Certificate2 RootOrThrow() => _ca.Root ?? throw new CertificateAuthorityException(CertificateAuthorityError.BrokenChain,
        $"CA '{_ca.Name}': the store does not hold its root (the chain ends at \"{_ca.ChainToRoot[^1].Subject}\", which is not self-signed), "
        + "so root.pem cannot be written; import the missing CA certificates with 'bringup ca import'");

    private DevicePublicKey? TryReadPublicKey(KeyReference key)
    {
        try
        {
            return _keys.For(key).GetPublicKey(key);
        }
        catch (KeyCustodyException e) when (e.Error == KeyCustodyError.KeyNotFound)
        {
            return null;
        }
    }

    private static CertificateAuthorityException Conflict(string output, string reason, Exception? inner) =>
        new(CertificateAuthorityError.OutputConflict,
            $"'{ChainPath(output)}' already exists and is not this device's identity: {reason}; write to another directory, or move it away", inner);

    private static string ChainPath(string output) => Path.Combine(output, DeviceIdentityFiles.ChainFileName);

    private static string RootPath(string output) => Path.Combine(output, DeviceIdentityFiles.RootFileName);
}
