using System.Security.Cryptography;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Certificate serial numbers: positive integers of 128 bits drawn from the system CSPRNG, the
/// top bit set so that every serial has the same length (16 octets of magnitude, 17 DER content
/// octets; within RFC 5280 4.1.2.2's 20), which leaves 127 random bits, far beyond the 64 that
/// the CA/Browser Forum requires to make serials unpredictable.
/// </summary>
internal static class SerialNumbers
{
    public const int Length = 16;

    /// <summary>A new random serial, big-endian, as <c>CertificateRequest.Create</c> takes it (an unsigned integer).</summary>
    public static byte[] NewRandom()
    {
        var serial = RandomNumberGenerator.GetBytes(Length);
        serial[0] |= 0x80;
        return serial;
    }

    /// <summary>Upper-case hex without leading zero octets: as <c>openssl x509 -serial</c> prints it.</summary>
    public static string ToHex(ReadOnlySpan<byte> serial)
    {
        while (serial.Length > 1 && serial[0] == 0)
            serial = serial[1..];
        return Convert.ToHexString(serial);
    }

    /// <summary>The serial of a certificate, as <see cref="ToHex"/> writes it.</summary>
    public static string Of(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        ToHex(certificate.SerialNumberBytes.Span);
}
