namespace DeviceAgent.Pki.Chains;

/// <summary>One decoded <c>CERTIFICATE</c> block of a PEM text (RFC 7468 5).</summary>
/// <param name="Number">1-based count of PEM blocks in the text, this one included.</param>
/// <param name="BeginLine">1-based line of the block's BEGIN boundary.</param>
/// <param name="Der">The decoded contents.</param>
internal sealed record PemBlock(int Number, int BeginLine, byte[] Der);
