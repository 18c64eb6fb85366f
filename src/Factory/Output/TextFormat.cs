using System.Globalization;
using DeviceAgent.Pki.DeviceIdentities;
using DeviceAgent.Pki.Inspection;

namespace Factory.Output;

/// <summary>How bringup writes instants, durations and certificate summaries in text output.</summary>
internal static class TextFormat
{
    public static string Instant(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Validity(CertificateDetails details) => $"{Instant(details.NotBefore)} .. {Instant(details.NotAfter)}";

    public static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static TimingsResult Timings(DeviceIssuanceTimings timings) => new(
        Math.Round(timings.KeyGeneration.TotalMilliseconds, 2), Math.Round(timings.RequestSigning.TotalMilliseconds, 2),
        Math.Round(timings.Issuance.TotalMilliseconds, 2), Math.Round(timings.Writing.TotalMilliseconds, 2),
        Math.Round(timings.Total.TotalMilliseconds, 2));

    public static string Outcome(DeviceIdentityOutcome outcome) => outcome switch
    {
        DeviceIdentityOutcome.Issued => "issued",
        DeviceIdentityOutcome.Reissued => "reissued",
        _ => "already-done",
    };

    public static string Usages(CertificateDetails details)
    {
        var usage = details.KeyUsage.Count == 0 ? "keyUsage absent" : string.Join(", ", details.KeyUsage);
        var extended = details.ExtendedKeyUsage.Count == 0 ? "no EKU (any use)" : "EKU " + string.Join(", ", details.ExtendedKeyUsage);
        return $"{usage}; {extended}";
    }

    /// <summary>One line for a key attestation: what was proved, or that it was skipped and why.</summary>
    public static string KeyAttestation(DeviceAgent.Pki.Authority.KeyAttestationRecord attestation) =>
        attestation.Status == DeviceAgent.Pki.Authority.KeyAttestationRecord.Verified
            ? $"{attestation.Status} ({attestation.Method}): made in the TPM and non-duplicable, attributes {attestation.KeyAttributes}; "
                + $"EK certificate {attestation.EkCertificateIndex} from \"{attestation.EkCertificateIssuer}\" chains to \"{attestation.TrustAnchor}\"; "
                + $"certified name {attestation.CertifiedName}"
            : $"{attestation.Status} ({attestation.Reason}): nothing proved that the TPM made this key";
}
