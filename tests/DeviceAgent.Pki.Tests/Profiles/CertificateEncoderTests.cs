using System.Formats.Asn1;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Profiles;

/// <summary>The CA's own DER encoder writes what X509Certificate2 and openssl read back, times included (RFC 5280 4.1.2.5).</summary>
public sealed class CertificateEncoderTests
{
    [Fact]
    public void Validity_after_2049_is_a_GeneralizedTime_and_the_certificate_reads_back_in_dotnet_and_openssl()
    {
        using var store = new TestStore();
        store.CreateRoot(validity: TimeSpan.FromDays(365 * 40)).Dispose();
        using var root = store.Open("root");

        using var issued = root.IssueDevice(new DeviceCertificateRequest(TestStore.Request("x"), RegistrationId.Parse("long-lived-device"), TimeSpan.FromDays(365 * 30)));

        var validity = new AsnReader(issued.Der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        validity.ReadEncodedValue(); // [0] version
        validity.ReadEncodedValue(); // serial
        validity.ReadEncodedValue(); // signature
        validity.ReadEncodedValue(); // issuer
        var times = validity.ReadSequence();
        Assert.Equal(UniversalTagNumber.UtcTime, (UniversalTagNumber)times.PeekTag().TagValue); // notBefore: this year
        times.ReadEncodedValue();
        Assert.Equal(UniversalTagNumber.GeneralizedTime, (UniversalTagNumber)times.PeekTag().TagValue); // notAfter: after 2049
        Assert.Equal(new DateTimeOffset(issued.Certificate.NotAfter.ToUniversalTime()), issued.Record.NotAfter);
        Assert.True(issued.Certificate.NotAfter.Year >= 2050);
        Assert.Equal(issued.Record.Thumbprint, issued.Certificate.Thumbprint);
        Assert.Equal("CN=long-lived-device", issued.Certificate.Subject);

        using var directory = new TempDirectory();
        var (exit, output) = Openssl.Run("verify", "-CAfile", directory.File("root.pem", root.Certificate.ExportCertificatePem()), "-purpose", "sslclient",
            directory.File("leaf.pem", issued.ToPem()));
        Assert.True(exit == 0, output);
        var (_, text) = Openssl.Run("x509", "-in", Path.Combine(directory.Path, "leaf.pem"), "-noout", "-text");
        Assert.Contains("X509v3 Basic Constraints: critical", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Client Authentication", text, StringComparison.Ordinal);
        Assert.Contains("Not After : " + issued.Certificate.NotAfter.ToUniversalTime().ToString("MMM", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
    }
}
