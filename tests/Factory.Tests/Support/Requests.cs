namespace Factory.Tests.Support;

/// <summary>PKCS#10 requests made by openssl, as a device's own tooling would make them.</summary>
internal static class Requests
{
    /// <summary>An EC P-256 key and a request for CN=<paramref name="commonName"/>; returns the request's path (PEM).</summary>
    public static async Task<string> CreateAsync(Workspace workspace, string commonName, string name)
    {
        var result = await Openssl.RunAsync(workspace, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", $"{name}.key", "-subj", $"/CN={commonName}", "-out", $"{name}.csr");
        Assert.True(result.ExitCode == 0, result.Transcript);
        return workspace.In($"{name}.csr");
    }

    /// <summary>A request whose signed part was altered after signing (the CN's last character changed); returns its path (DER).</summary>
    public static async Task<string> AlteredAsync(Workspace workspace, string commonName, string name)
    {
        var pem = await CreateAsync(workspace, commonName, name);
        var der = Convert.FromBase64String(string.Concat(File.ReadAllLines(pem).Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var at = der.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(commonName));
        Assert.True(at > 0, "the CN is in the request");
        der[at + commonName.Length - 1] ^= 0x01;
        var path = workspace.In($"{name}-altered.der");
        File.WriteAllBytes(path, der);
        return path;
    }
}
