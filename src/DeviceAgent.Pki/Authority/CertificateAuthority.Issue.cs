using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Profiles;

namespace DeviceAgent.Pki.Authority;

// Signing: serials reserved first, then signed, verified, logged (one fsync per batch), then released.
public sealed partial class CertificateAuthority
{
    /// <summary>Issues one device certificate. See <see cref="IssueDevices"/>.</summary>
    /// <exception cref="CertificateAuthorityException">See <see cref="IssueDevices"/>.</exception>
    public IssuedCertificate IssueDevice(DeviceCertificateRequest request) => IssueDevices([request])[0];

    /// <summary>
    /// Issues device certificates (<see cref="DeviceProfile"/>: subject CN = registration id,
    /// clientAuth) from checked certification requests. The serials are reserved and the log
    /// records appended with one fsync each for the whole batch, before any certificate is returned.
    /// What a token key signs is verified with the CA's public key first.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.IntegrityFailure"/>: a signature made by the key does not verify.</exception>
    /// <exception cref="DeviceAgent.Keys.KeyCustodyException">The token refused to sign.</exception>
    /// <exception cref="IOException">The serial state or the log cannot be written.</exception>
    public IReadOnlyList<IssuedCertificate> IssueDevices(IReadOnlyList<DeviceCertificateRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Sign([.. requests.Select(r => new PendingCertificate(
            DistinguishedNames.FromCommonName(r.RegistrationId.Value), r.Request.PublicKey, IssuanceKind.Device, r.Validity,
            DeviceProfile.Apply, r.RegistrationId, r.Output is null ? null : Path.GetFullPath(r.Output), r.KeyAttestation))]);
    }

    /// <summary>
    /// Issues a CA certificate for a CA directly below this one (<see cref="CaProfile"/>), after
    /// checking that every CA above allows one more intermediate (RFC 5280 4.2.1.9 pathLenConstraint).
    /// </summary>
    /// <param name="subject">The new CA's subject.</param>
    /// <param name="publicKey">The new CA's public key.</param>
    /// <param name="pathLength">The new CA's pathLenConstraint; null for none.</param>
    /// <param name="validity">How long it is valid (clamped to this CA's validity).</param>
    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.PathLengthExceeded"/>.</exception>
    public IssuedCertificate IssueCa(X500DistinguishedName subject, PublicKey publicKey, int? pathLength, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(publicKey);
        CheckRoomForIntermediate(pathLength);
        return Sign([new PendingCertificate(subject, publicKey, IssuanceKind.Ca, validity,
            (request, issuer) => CaProfile.Apply(request, pathLength, issuer), null, null)])[0];
    }

    /// <summary>
    /// The largest pathLenConstraint a new CA directly below this one can use: each CA above
    /// with a constraint leaves room for that many intermediates below it, this one and the new
    /// one included. Null when nothing above constrains it.
    /// </summary>
    public int? MaximumPathLengthBelow()
    {
        int? maximum = null;
        for (var distance = 0; distance < ChainToRoot.Count; distance++)
        {
            if (PathLengthOf(ChainToRoot[distance]) is not { } constraint)
                continue;
            var room = constraint - (distance + 1);
            maximum = maximum is null ? room : Math.Min(maximum.Value, room);
        }
        return maximum;
    }

    internal IReadOnlyList<IssuedCertificate> Sign(IReadOnlyList<PendingCertificate> pending)
    {
        ThrowIfDisposed();
        if (pending.Count == 0)
            return [];
        var serials = Entry.Serials.Reserve(pending.Count);
        var now = _clock.GetUtcNow();
        var issued = new List<IssuedCertificate>(pending.Count);
        try
        {
            for (var i = 0; i < pending.Count; i++)
                issued.Add(SignOne(pending[i], serials[i], now));
            Entry.Log.Append(issued.Select(c => c.Record));
            return issued;
        }
        catch
        {
            foreach (var certificate in issued)
                certificate.Dispose();
            throw;
        }
    }

    private IssuedCertificate SignOne(PendingCertificate pending, byte[] serial, DateTimeOffset now)
    {
        var window = ValidityWindow.Compute(now, pending.Validity, ChainToRoot);
        var request = new CertificateRequest(pending.Subject, pending.PublicKey, _hash);
        pending.Profile(request, Certificate);
        var der = CertificateEncoder.Sign(request, Certificate.SubjectName, _generator, window.NotBefore, window.NotAfter, serial);
        var verification = _verifier is null ? SignatureVerification.Valid : CertificateSignature.VerifySigned(der, _verifier);
        if (!verification.IsValid)
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.IntegrityFailure,
                $"CA '{Name}': the certificate it just signed for {pending.Subject.Name} does not verify with its own public key ({verification.Problem}); "
                + $"the key {Entry.Key} signs wrongly: nothing was released");
        }
        var record = new IssuanceRecord(now, pending.Kind, SerialNumbers.ToHex(serial), pending.Subject.Name, pending.RegistrationId?.Value,
            CertificateIdentity.Sha1Thumbprint(der), Convert.ToHexString(SHA256.HashData(der)),
            Certificate.Subject, window.NotBefore, window.NotAfter, pending.Output, pending.KeyAttestation);
        return new IssuedCertificate(der, record, window.Clamped);
    }

    internal void CheckRoomForIntermediate(int? requestedPathLength)
    {
        for (var distance = 0; distance < ChainToRoot.Count; distance++)
        {
            var ca = ChainToRoot[distance];
            if (PathLengthOf(ca) is { } constraint && distance + 1 > constraint)
            {
                var name = _chain[distance].Name;
                throw new CertificateAuthorityException(CertificateAuthorityError.PathLengthExceeded, FormattableString.Invariant(
                    $"CA '{name}' ({ca.Subject}) has pathLenConstraint {constraint}: at most {constraint} intermediate CA certificate(s) may follow it, ")
                    + FormattableString.Invariant($"and a new CA under '{Name}' would be intermediate number {distance + 1} below it (RFC 5280 4.2.1.9); issue from a CA higher up, or recreate '{name}' with a larger --path-length"));
            }
        }
        if (requestedPathLength is { } requested && MaximumPathLengthBelow() is { } maximum && requested > maximum)
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.PathLengthExceeded, FormattableString.Invariant(
                $"a path length of {requested} cannot be used below CA '{Name}': the CAs above allow at most {maximum} more intermediate(s) under the new CA (RFC 5280 4.2.1.9); use --path-length {maximum} or less"));
        }
    }

    private static int? PathLengthOf(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { HasPathLengthConstraint: true } constraints
            ? constraints.PathLengthConstraint
            : null;
}
