namespace DeviceAgent.Pki.Tls;

/// <summary>
/// Turns the TLS alerts a server sends about a client certificate (RFC 8446 6.2) into their
/// likely cause and fix, for operators who see "alert unknown ca" and nothing else.
/// </summary>
internal static class TlsAlertExplanation
{
    private static readonly (string Alert, string Meaning)[] s_alerts =
    [
        ("unknown ca", "the server cannot chain the client certificate to a CA it trusts: send the intermediates " +
            "(the chain bundle must hold leaf + intermediates) and make sure the server trusts (or has verified) the root"),
        ("certificate required", "the server requires a client certificate and none was sent"),
        ("bad certificate", "the server refused the client certificate (malformed, or its signature does not verify)"),
        ("certificate expired", "a certificate of the client chain has expired"),
        ("certificate revoked", "the server considers a certificate of the client chain revoked"),
        ("unsupported certificate", "the server does not accept this kind of client certificate (key type or extended key usage)"),
        ("decrypt error", "the CertificateVerify signature did not verify: the private key does not match the leaf"),
        ("access denied", "the server authenticated the client but refuses it access"),
        ("handshake failure", "the server and the client share no acceptable parameters (TLS version, cipher suite, signature scheme)"),
    ];

    /// <summary>The reason with an explanation appended when it names a known alert.</summary>
    public static string Explain(string reason)
    {
        foreach (var (alert, meaning) in s_alerts)
        {
            if (reason.Contains("alert " + alert, StringComparison.OrdinalIgnoreCase))
                return $"TLS alert '{alert}': {meaning} (OpenSSL: {reason})";
        }
        return reason;
    }
}
