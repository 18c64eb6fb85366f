namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Hex as the corpora write it: "10 0D 0004 4D515454", spaces anywhere.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
