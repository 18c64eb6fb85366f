using DeviceAgent.Pki.Inspection;

namespace Factory.Output;

// The JSON documents bringup prints with --json. Field names are camelCase; scripts rely on them.

/// <summary>A failed command.</summary>
internal sealed record ErrorResult(bool Ok, ErrorDetails Error);

/// <summary>What failed.</summary>
internal sealed record ErrorDetails(string Kind, string Message, string Hint, int ExitCode);

/// <summary>A CA created or imported.</summary>
internal sealed record CaResult(
    bool Ok, string Name, string Directory, bool AlreadyExisted, string? Issuer, string Key, bool? KeyExisted,
    CertificateDetails Certificate, IReadOnlyList<string> Warnings);

/// <summary>A proof-of-possession verification certificate written.</summary>
internal sealed record ProveResult(bool Ok, string Ca, string Code, string Out, CertificateDetails Certificate);

/// <summary>Milliseconds per step of one device identity.</summary>
internal sealed record TimingsResult(double KeyGenerationMs, double RequestSigningMs, double IssuanceMs, double WritingMs, double TotalMs);

/// <summary>One device identity.</summary>
internal sealed record DeviceResult(
    bool Ok, string RegistrationId, string Outcome, string Issuer, string Chain, string Root, bool? KeyExisted,
    CertificateDetails Leaf, TimingsResult Timings, IReadOnlyList<string> Warnings, DeviceAgent.Pki.Authority.KeyAttestationRecord? KeyAttestation = null);

/// <summary>One device of a batch that failed.</summary>
internal sealed record BatchFailure(string RegistrationId, string Kind, string Message);

/// <summary>A batch run.</summary>
internal sealed record BatchResult(
    bool Ok, string Issuer, int Total, int Issued, int Reissued, int AlreadyDone, int Failed, bool Interrupted,
    TimingsResult AverageTimings, IReadOnlyList<DeviceResult> Devices, IReadOnlyList<BatchFailure> Failures);

/// <summary>One certificate of an inspected chain.</summary>
internal sealed record InspectedCertificate(int Position, string Role, CertificateDetails Details);

/// <summary>One named check of an inspected chain.</summary>
internal sealed record InspectedCheck(string Name, string Status, string Summary, IReadOnlyList<string> Violations);

/// <summary>An inspected chain.</summary>
internal sealed record InspectResult(bool Ok, string Source, string? TrustAnchor, IReadOnlyList<InspectedCertificate> Certificates, IReadOnlyList<InspectedCheck> Checks,
    InspectedIssuance? Issuance = null);

/// <summary>The issuance log's record of an inspected leaf (with --ca-dir): which CA issued it and how its key was attested.</summary>
internal sealed record InspectedIssuance(string Ca, DeviceAgent.Pki.Authority.IssuanceRecord Record);
