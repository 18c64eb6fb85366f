using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Policy;
using DeviceAgent.Pki.Files;
using DeviceAgent.Pki.Profiles;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Brings an existing CA into the store, so that hierarchies made with OpenSSL or certGen.sh keep
/// working: its certificate (which must be a CA certificate with an acceptable key), its link to
/// its issuer in the store (verified), and its key: re-encrypted into the store as PKCS#8
/// (PBES2 with AES-256-CBC and PBKDF2-SHA256), or referenced where it already lives in a token,
/// or left out (an offline root: the store keeps its certificate to complete chains). Safe to rerun.
/// </summary>
public static class CaImporter
{
    private static readonly PbeParameters s_encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000);

    /// <summary>Imports a CA.</summary>
    /// <exception cref="CertificateAuthorityException">The certificate or key is refused (not a CA, weak key, key mismatch, wrong
    /// passphrase, not issued by the named issuer), or the name is taken by another CA.</exception>
    /// <exception cref="KeyCustodyException">A passphrase or PIN source cannot be read, or the token key cannot be opened.</exception>
    public static CaCreation Import(CaStore store, CaImportSpecification specification, KeyBackends keys, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(specification);
        ArgumentNullException.ThrowIfNull(keys);
        var spec = specification;
        if (CaStore.FindNameProblem(spec.Name) is { } problem)
            throw new CertificateAuthorityException(CertificateAuthorityError.InvalidName, problem);
        using var certificate = ReadCertificate(spec.CertificatePath);
        if (store.Contains(spec.Name))
            return Existing(store, spec.Name, certificate);

        CertificateAuthority.CheckIsCa(spec.Name, certificate);
        var role = CertificateSignature.IsSelfSigned(certificate) ? CertificateRole.Root : CertificateRole.Intermediate;
        var violations = DevicePolicy.JudgeCertificate(certificate, CertificateIdentity.Of(certificate, 0, role)).ToList();
        if (violations.Count > 0)
            throw new CertificateAuthorityException(CertificateAuthorityError.WeakKey, $"CA certificate '{spec.CertificatePath}' is refused: {DevicePolicy.Describe(violations)}");
        var warnings = new List<string>();
        CheckIssuer(store, spec, certificate, warnings);

        var staging = store.NewStagingDirectory(spec.Name);
        try
        {
            PreparedKey? prepared = spec.KeyLocation.Kind switch
            {
                CaKeyKind.EncryptedFile => ImportKeyFile(spec, certificate, staging),
                CaKeyKind.Pkcs11 => CheckTokenKey(spec, certificate, keys),
                _ => null,
            };
            if (spec.KeyLocation.Kind == CaKeyKind.None)
                warnings.Add("no key was imported: this CA can complete chains but cannot issue or prove possession");
            CaStore.WriteEntry(staging, new CaDescriptor(CaDescriptor.CurrentFormat, spec.Name, spec.IssuerName, spec.KeyLocation,
                (clock ?? TimeProvider.System).GetUtcNow(), "imported"), certificate);
            store.Commit(staging, spec.Name);
            return new CaCreation(store.Get(spec.Name), false, prepared, warnings);
        }
        catch
        {
            CaStore.DiscardStaging(staging);
            throw;
        }
    }

    private static X509Certificate2 ReadCertificate(string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path); // PEM (the first CERTIFICATE block) or DER
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.ImportRefused, $"CA certificate '{path}' cannot be read ({e.Message})", e);
        }
    }

    private static CaCreation Existing(CaStore store, string name, X509Certificate2 certificate)
    {
        var entry = store.Get(name);
        if (entry.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            return new CaCreation(entry, true, null, []);
        var subject = entry.Certificate.Subject;
        entry.Dispose();
        throw new CertificateAuthorityException(CertificateAuthorityError.AlreadyExists,
            $"a different CA named '{name}' is already in the store (\"{subject}\"); choose another --name");
    }

    private static void CheckIssuer(CaStore store, CaImportSpecification spec, X509Certificate2 certificate, List<string> warnings)
    {
        if (spec.IssuerName is null)
        {
            if (!CertificateSignature.IsSelfSigned(certificate))
            {
                warnings.Add($"it is not self-signed and no --issuer was given: import its issuer (\"{certificate.Issuer}\") first and name it, "
                    + "or the devices it issues get no root.pem");
            }
            return;
        }
        using var issuer = store.Get(spec.IssuerName);
        if (!CertificateSignature.IsIssuedBy(certificate, issuer.Certificate))
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.ImportRefused,
                $"CA certificate '{spec.CertificatePath}' (\"{certificate.Subject}\", issued by \"{certificate.Issuer}\") is not issued by CA '{spec.IssuerName}' "
                + $"(\"{issuer.Certificate.Subject}\"): {CertificateSignature.Verify(certificate, issuer.Certificate).Problem ?? "the issuer name differs"} (RFC 5280 6.1.3 (a))");
        }
    }

    private static PreparedKey ImportKeyFile(CaImportSpecification spec, X509Certificate2 certificate, string staging)
    {
        var path = spec.KeyFile ?? throw new CertificateAuthorityException(CertificateAuthorityError.ImportRefused,
            "no key file was given; name the CA's private key (--key-file), or import the certificate alone");
        using var key = PrivateKeyPem.Read(path, spec.KeyFilePassphrase);
        if (!Signing.Matches(key, certificate.PublicKey))
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.KeyMismatch,
                $"key file '{path}' is not the key of CA certificate '{spec.CertificatePath}' (\"{certificate.Subject}\")");
        }
        using var passphrase = spec.KeyLocation.Secret!.ToPinSource().Read();
        AtomicFile.Write(Path.Combine(staging, CaKeyLocation.KeyFileName), key.ExportEncryptedPkcs8PrivateKeyPem(passphrase.Utf8, s_encryption) + "\n",
            AtomicFile.Private, overwrite: false);
        return new PreparedKey(KeyStrengthPolicy.Judge(key).Description, true, null);
    }

    private static PreparedKey CheckTokenKey(CaImportSpecification spec, X509Certificate2 certificate, KeyBackends keys)
    {
        var reference = spec.KeyLocation.ToKeyReference("");
        var backend = keys.For(reference);
        using var key = backend.OpenPrivateKey(reference);
        if (!Signing.Matches(key, certificate.PublicKey))
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.KeyMismatch,
                $"token key {reference} is not the key of CA certificate '{spec.CertificatePath}' (\"{certificate.Subject}\")");
        }
        var custody = backend is IKeyCustodyInspector inspector ? inspector.ReadCustody(reference) : null;
        return new PreparedKey(KeyStrengthPolicy.Judge(key).Description, true, custody);
    }
}
