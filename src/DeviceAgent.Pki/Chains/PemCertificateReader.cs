using System.Globalization;

namespace DeviceAgent.Pki.Chains;

/// <summary>
/// Reads the <c>CERTIFICATE</c> blocks of a PEM text (RFC 7468), strictly: text between blocks
/// is ignored (RFC 7468 2 allows explanatory text, as <c>openssl x509 -text</c> writes), but
/// any block that is not a certificate, any broken boundary and any non-base64 content is an
/// error naming the block and line. A private-key block is refused on sight; nothing of its
/// contents is read into a message.
/// </summary>
internal static class PemCertificateReader
{
    private const string Begin = "-----BEGIN ";
    private const string End = "-----END ";
    private const string Dashes = "-----";
    private const string CertificateLabel = "CERTIFICATE"; // RFC 7468 5.1

    /// <exception cref="ChainBundleFormatException">A block is not a certificate or is malformed.</exception>
    public static List<PemBlock> Read(string text, string sourceName)
    {
        var blocks = new List<PemBlock>();
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.StartsWith(End, StringComparison.Ordinal))
            {
                throw new ChainBundleFormatException(ChainBundleProblem.MalformedPem, sourceName,
                    Invariant($"line {index + 1} ends a PEM block that was never begun"), blocks.Count + 1, index + 1);
            }

            if (!line.StartsWith(Begin, StringComparison.Ordinal))
                continue;
            var number = blocks.Count + 1;
            var label = LabelOf(line, Begin, sourceName, number, index + 1);
            RefuseAnythingButCertificates(label, sourceName, number, index + 1);
            var (der, endIndex) = ReadBody(lines, index, sourceName, number);
            blocks.Add(new PemBlock(number, index + 1, der));
            index = endIndex;
        }

        return blocks;
    }

    private static void RefuseAnythingButCertificates(string label, string sourceName, int number, int line)
    {
        if (label.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new ChainBundleFormatException(ChainBundleProblem.PrivateKey, sourceName,
                Invariant($"block {number} (line {line}) is a private key (\"{Begin}{label}{Dashes}\"); a chain bundle holds certificates only. ")
                + "Remove the key from this file (a device key belongs in the TPM or HSM); its contents are not shown.",
                number, line);
        }

        if (!string.Equals(label, CertificateLabel, StringComparison.Ordinal))
        {
            throw new ChainBundleFormatException(ChainBundleProblem.NotACertificate, sourceName,
                Invariant($"block {number} (line {line}) is \"{label}\", not \"{CertificateLabel}\"; a chain bundle holds certificates only"),
                number, line);
        }
    }

    private static (byte[] Der, int EndIndex) ReadBody(string[] lines, int beginIndex, string sourceName, int number)
    {
        var base64 = new System.Text.StringBuilder();
        for (var index = beginIndex + 1; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.StartsWith(End, StringComparison.Ordinal))
            {
                var label = LabelOf(line, End, sourceName, number, index + 1);
                if (!string.Equals(label, CertificateLabel, StringComparison.Ordinal))
                {
                    throw new ChainBundleFormatException(ChainBundleProblem.MalformedPem, sourceName,
                        Invariant($"block {number} (line {beginIndex + 1}) begins \"{CertificateLabel}\" but line {index + 1} ends \"{label}\""),
                        number, index + 1);
                }

                return (Decode(base64.ToString(), sourceName, number, beginIndex + 1, index + 1), index);
            }

            if (line.StartsWith(Begin, StringComparison.Ordinal))
            {
                throw new ChainBundleFormatException(ChainBundleProblem.MalformedPem, sourceName,
                    Invariant($"block {number} (line {beginIndex + 1}) has no END line before the next BEGIN on line {index + 1}"),
                    number, beginIndex + 1);
            }

            var bad = FirstNonBase64(lines[index]);
            if (bad >= 0)
            {
                throw new ChainBundleFormatException(ChainBundleProblem.InvalidBase64, sourceName,
                    Invariant($"block {number} (line {beginIndex + 1}): line {index + 1} is not base64 (column {bad + 1})"),
                    number, index + 1);
            }

            base64.Append(line);
        }

        throw new ChainBundleFormatException(ChainBundleProblem.MalformedPem, sourceName,
            Invariant($"block {number} (line {beginIndex + 1}) has no \"{End}{CertificateLabel}{Dashes}\" line"),
            number, beginIndex + 1);
    }

    private static byte[] Decode(string base64, string sourceName, int number, int beginLine, int endLine)
    {
        var buffer = new byte[base64.Length * 3 / 4];
        if (base64.Length == 0 || !Convert.TryFromBase64String(base64, buffer, out var written))
        {
            throw new ChainBundleFormatException(ChainBundleProblem.InvalidBase64, sourceName,
                Invariant($"block {number} (lines {beginLine}-{endLine}): the base64 does not decode (")
                + (base64.Length == 0 ? "it is empty)" : "its length or padding is wrong; is a line missing or cut?)"),
                number, beginLine);
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    private static int FirstNonBase64(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var ok = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '=' or ' ' or '\t' or '\r';
            if (!ok)
                return i;
        }

        return -1;
    }

    private static string LabelOf(string line, string boundary, string sourceName, int number, int lineNumber)
    {
        if (!line.EndsWith(Dashes, StringComparison.Ordinal) || line.Length < boundary.Length + Dashes.Length)
        {
            throw new ChainBundleFormatException(ChainBundleProblem.MalformedPem, sourceName,
                Invariant($"line {lineNumber} is a broken PEM boundary (it must end with \"{Dashes}\")"), number, lineNumber);
        }

        return line[boundary.Length..^Dashes.Length];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
