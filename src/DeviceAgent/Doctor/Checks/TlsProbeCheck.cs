using System.Globalization;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Tls;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// A mutual-TLS handshake with a server succeeds: the device sends its full chain and the token
/// signs the CertificateVerify; the server's certificate is trusted.
/// </summary>
internal sealed class TlsProbeCheck : IDoctorCheck
{
    public string Id => "tls-probe";

    public string Title => "mutual-TLS handshake";

    public async Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        if (settings.TlsProbe is null)
            return this.Skipped("not requested (--tls-probe host:port)");
        if (this.SkipUnlessPassed(context, "device-key", "device key exists and never left the token") is { } noKey)
            return noKey;
        if (this.SkipUnlessPassed(context, "chain", "chain bundle is valid and matches the key") is { } noChain)
            return noChain;
        if (!TryParseEndpoint(settings.TlsProbe, out var host, out var port))
            return this.Failed($"--tls-probe '{settings.TlsProbe}' is not host:port");

        try
        {
            var trust = settings.TrustPath is null ? TlsServerTrust.SystemStore : TlsServerTrust.FromPemFile(settings.TrustPath);
            var identity = context.TlsIdentity(sendIntermediates: !settings.SendLeafOnly);
            await using var stream = await MutualTlsConnector.ConnectAsync(host, port, identity, trust, cancellationToken).ConfigureAwait(false);
            var refusal = await MutualTlsConnector.AwaitRejectionAsync(stream, settings.TlsProbeWait, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
                return this.Failed($"{host}:{port} refused the client certificate {identity.Describe()} after the handshake: {refusal}");
            var sent = stream.LocalCertificate is null
                ? "the server did not ask for a client certificate"
                : $"sent {identity.Describe()}, CertificateVerify signed by the device key";
            var detail = $"{stream.SslProtocol} {stream.NegotiatedCipherSuite} with {host}:{port}, server \"{stream.RemoteCertificate?.Subject}\" " +
                $"trusted by {trust.Description}; {sent}";
            return stream.LocalCertificate is null ? this.Warning(detail) : this.Ok(detail);
        }
        catch (Exception e) when (e is TlsConnectionException or KeyCustodyException or ArgumentException)
        {
            return this.Failed(e.Message);
        }
    }

    private static bool TryParseEndpoint(string text, out string host, out int port)
    {
        var colon = text.LastIndexOf(':');
        host = colon > 0 ? text[..colon] : text;
        port = 8883;
        return host.Length > 0 &&
            (colon < 0 || (int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536));
    }
}
