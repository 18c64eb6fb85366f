using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Profiles;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Creates CAs in a store: a self-signed root, or an intermediate at any depth below a CA of the
/// store. The CA is assembled in a staging directory and appears in the store only whole. Reruns
/// are safe: the same CA already in the store is reported, not recreated, and a token key left
/// by a failed attempt is reused.
/// </summary>
public static class CaCreator
{
    /// <summary>Creates a self-signed root CA.</summary>
    /// <exception cref="CertificateAuthorityException">The name is taken by a different CA, is invalid, or the key is refused.</exception>
    /// <exception cref="KeyCustodyException">The key cannot be created or opened.</exception>
    public static CaCreation CreateRoot(CaStore store, CaSpecification specification, KeyBackends keys, TimeProvider? clock = null) =>
        Create(store, specification, null, keys, clock ?? TimeProvider.System);

    /// <summary>Creates an intermediate CA issued by CA <paramref name="issuerName"/> of the store.</summary>
    /// <exception cref="CertificateAuthorityException">The issuer is missing, cannot issue (expired, not a CA, no room under its
    /// path length constraint), the name is taken, or the key is refused.</exception>
    /// <exception cref="KeyCustodyException">A key cannot be created or opened.</exception>
    public static CaCreation CreateIntermediate(CaStore store, CaSpecification specification, string issuerName, KeyBackends keys, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuerName);
        return Create(store, specification, issuerName, keys, clock ?? TimeProvider.System);
    }

    private static CaCreation Create(CaStore store, CaSpecification spec, string? issuerName, KeyBackends keys, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(keys);
        if (CaStore.FindNameProblem(spec.Name) is { } problem)
            throw new CertificateAuthorityException(CertificateAuthorityError.InvalidName, problem);
        if (store.Contains(spec.Name))
            return Existing(store, spec, issuerName);

        using var issuer = issuerName is null ? null : CertificateAuthority.Open(store, issuerName, keys, clock);
        issuer?.CheckRoomForIntermediate(spec.PathLength);
        var staging = store.NewStagingDirectory(spec.Name);
        try
        {
            var reference = spec.KeyLocation.ToKeyReference(staging);
            using var opened = KeyPreparation.EnsureAndOpen(keys, reference, spec.KeyAlgorithm);
            var (prepared, key) = (opened.Prepared, opened.PrivateKey);
            var warnings = new List<string>();
            if (prepared.Custody is { ProvesNonExportable: false } custody)
                warnings.Add($"the CA key's attributes do not prove it never left the token: {string.Join("; ", custody.Problems)}");
            var strength = KeyStrengthPolicy.Judge(key);
            if (strength.Weakness is { } weakness)
                throw new CertificateAuthorityException(CertificateAuthorityError.WeakKey, $"CA '{spec.Name}': its key ({strength.Description}) is refused: {weakness}");
            var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);

            using var issued = issuer is null
                ? SelfSign(spec, key, publicKey, new SerialNumberRegistry(Path.Combine(staging, SerialNumberRegistry.FileName)),
                    new IssuanceLog(Path.Combine(staging, IssuanceLog.FileName)), clock.GetUtcNow())
                : issuer.IssueCa(spec.Subject, publicKey, spec.PathLength, spec.Validity);
            if (issued.ValidityClamped)
                warnings.Add($"the validity was cut to end with the issuer's, on {issued.Record.NotAfter:yyyy-MM-dd'T'HH:mm:ss'Z'}");
            CaStore.WriteEntry(staging, new CaDescriptor(CaDescriptor.CurrentFormat, spec.Name, issuerName, spec.KeyLocation, clock.GetUtcNow(), "created"),
                issued.Certificate);
            store.Commit(staging, spec.Name);
            return new CaCreation(store.Get(spec.Name), false, prepared, warnings);
        }
        catch
        {
            CaStore.DiscardStaging(staging);
            throw;
        }
    }

    /// <summary>A rerun: the same CA (subject and issuer) is reported as it is; a different one is a conflict.</summary>
    private static CaCreation Existing(CaStore store, CaSpecification spec, string? issuerName)
    {
        var entry = store.Get(spec.Name);
        var sameSubject = entry.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(spec.Subject.RawData);
        if (sameSubject && string.Equals(entry.IssuerName, issuerName, StringComparison.Ordinal))
            return new CaCreation(entry, true, null, []);
        var existing = $"subject \"{entry.Certificate.Subject}\", issuer {(entry.IssuerName is null ? "none (root)" : $"'{entry.IssuerName}'")}";
        entry.Dispose();
        throw new CertificateAuthorityException(CertificateAuthorityError.AlreadyExists,
            $"a different CA named '{spec.Name}' is already in the store ({existing}); choose another --name");
    }

    private static IssuedCertificate SelfSign(CaSpecification spec, AsymmetricAlgorithm key, PublicKey publicKey,
        SerialNumberRegistry serials, IssuanceLog log, DateTimeOffset now)
    {
        var serial = serials.Reserve(1)[0];
        var window = ValidityWindow.Compute(now, spec.Validity, []);
        var request = new CertificateRequest(spec.Subject, publicKey, Signing.HashFor(key));
        CaProfile.Apply(request, spec.PathLength, issuer: null);
        var certificate = request.Create(spec.Subject, Signing.GeneratorFor(key), window.NotBefore, window.NotAfter, serial);
        var verification = CertificateSignature.Verify(certificate, certificate);
        if (!verification.IsValid)
        {
            certificate.Dispose();
            throw new CertificateAuthorityException(CertificateAuthorityError.IntegrityFailure,
                $"CA '{spec.Name}': its self-signed certificate does not verify with its own key ({verification.Problem}); the key signs wrongly");
        }
        var record = new IssuanceRecord(now, IssuanceKind.Ca, SerialNumbers.ToHex(serial), certificate.Subject, null,
            certificate.GetCertHashString(HashAlgorithmName.SHA1), certificate.GetCertHashString(HashAlgorithmName.SHA256),
            certificate.Issuer, window.NotBefore, window.NotAfter, null);
        log.Append([record]);
        using (certificate)
            return new IssuedCertificate(certificate.RawData, record, false);
    }
}
