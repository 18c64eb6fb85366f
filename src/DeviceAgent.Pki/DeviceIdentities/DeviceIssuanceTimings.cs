namespace DeviceAgent.Pki.DeviceIdentities;

/// <summary>Where the time of one device identity went.</summary>
/// <param name="KeyGeneration">Generating the key in the token (or finding the existing one).</param>
/// <param name="RequestSigning">Building the PKCS#10 request and signing it with the device key (one C_Sign).</param>
/// <param name="Issuance">Issuing the leaf (CA signature, serial and log with fsync) and validating the chain.</param>
/// <param name="Writing">Writing chain.pem and root.pem (temporary file, fsync, rename).</param>
public sealed record DeviceIssuanceTimings(TimeSpan KeyGeneration, TimeSpan RequestSigning, TimeSpan Issuance, TimeSpan Writing)
{
    /// <summary>No time spent (an identity that was already there).</summary>
    public static DeviceIssuanceTimings None { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The sum.</summary>
    public TimeSpan Total => KeyGeneration + RequestSigning + Issuance + Writing;
}
