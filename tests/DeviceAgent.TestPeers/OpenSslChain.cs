using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.TestPeers;

/// <summary>How one certificate of an <see cref="OpenSslChain"/> is made: its key (openssl's words) and its signature digest.</summary>
/// <param name="Key">"ec:P-256", "ec:prime192v1", "rsa:1024", "rsa:2048" ...</param>
/// <param name="Digest">The digest its issuer signs it with: "sha256", "sha1", "md5".</param>
public sealed record OpenSslCertificateSpec(string Key = "ec:P-256", string Digest = "sha256");

/// <summary>
/// A root, an intermediate and a device certificate made outside the project, with the openssl
/// command line (openssl req / x509), as a user would make them; in a temp dir removed on dispose.
/// The peer every chain policy test plays against the endpoint and bringup, so that what is
/// refused is refused for certificates this project's own code did not write.
/// </summary>
public sealed class OpenSslChain : IDisposable
{
    private OpenSslChain(string directory, string registrationId, OpenSslCertificateSpec leafSpec)
    {
        Directory = directory;
        RegistrationId = registrationId;
        LeafSpec = leafSpec;
    }

    /// <summary>The temp directory holding the files.</summary>
    public string Directory { get; }

    /// <summary>The device certificate's CN.</summary>
    public string RegistrationId { get; }

    /// <summary>How the leaf was made.</summary>
    public OpenSslCertificateSpec LeafSpec { get; }

    /// <summary>root.pem: the self-signed root.</summary>
    public string RootPath => Path.Combine(Directory, "root.pem");

    /// <summary>intermediate.pem: the CA that issued the leaf.</summary>
    public string IntermediatePath => Path.Combine(Directory, "intermediate.pem");

    /// <summary>leaf.pem: the device certificate.</summary>
    public string LeafPath => Path.Combine(Directory, "leaf.pem");

    /// <summary>leaf.key: the device key (PKCS#8 PEM, unencrypted).</summary>
    public string LeafKeyPath => Path.Combine(Directory, "leaf.key");

    /// <summary>chain.pem: leaf then intermediate, the bundle a device presents.</summary>
    public string BundlePath => Path.Combine(Directory, "chain.pem");

    /// <summary>The root certificate.</summary>
    public X509Certificate2 LoadRoot() => X509CertificateLoader.LoadCertificateFromFile(RootPath);

    /// <summary>The intermediate certificate.</summary>
    public X509Certificate2 LoadIntermediate() => X509CertificateLoader.LoadCertificateFromFile(IntermediatePath);

    /// <summary>The device certificate.</summary>
    public X509Certificate2 LoadLeaf() => X509CertificateLoader.LoadCertificateFromFile(LeafPath);

    /// <summary>The device key (ECDsa or RSA, as the leaf spec says).</summary>
    public AsymmetricAlgorithm LoadLeafKey()
    {
        var pem = File.ReadAllText(LeafKeyPath);
        AsymmetricAlgorithm key = LeafSpec.Key.StartsWith("rsa", StringComparison.Ordinal) ? RSA.Create() : ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    /// <summary>Makes the chain with openssl.</summary>
    /// <param name="registrationId">The leaf's CN (any text openssl's -subj takes, '/' excepted).</param>
    /// <param name="leaf">The leaf's key and the digest the intermediate signs it with.</param>
    /// <param name="intermediate">The intermediate's key and the digest the root signs it with.</param>
    /// <param name="root">The root's key and self-signature digest.</param>
    /// <exception cref="InvalidOperationException">openssl is missing or failed (its transcript is in the message).</exception>
    public static async Task<OpenSslChain> CreateAsync(string registrationId, OpenSslCertificateSpec? leaf = null,
        OpenSslCertificateSpec? intermediate = null, OpenSslCertificateSpec? root = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("openssl-chain-").FullName;
        var chain = new OpenSslChain(directory, registrationId, leaf ?? new());
        try
        {
            await chain.MakeAsync(root ?? new(), intermediate ?? new());
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    private async Task MakeAsync(OpenSslCertificateSpec root, OpenSslCertificateSpec intermediate)
    {
        File.WriteAllText(Path.Combine(Directory, "ca.ext"),
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        File.WriteAllText(Path.Combine(Directory, "leaf.ext"),
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        await OpenSslAsync(["req", "-x509", "-new", .. KeyArguments(root.Key), "-nodes", "-keyout", "root.key", "-out", "root.pem",
            "-subj", "/CN=OpenSSL Test Root", "-days", "2", "-" + root.Digest, "-set_serial", Serial(),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        await IssueAsync("intermediate", "/CN=OpenSSL Test Intermediate", intermediate, "root", "ca.ext");
        await IssueAsync("leaf", "/CN=" + RegistrationId, LeafSpec, "intermediate", "leaf.ext");
        File.WriteAllText(BundlePath, File.ReadAllText(LeafPath) + File.ReadAllText(IntermediatePath));
    }

    private async Task IssueAsync(string name, string subject, OpenSslCertificateSpec spec, string issuer, string extensions)
    {
        await OpenSslAsync(["req", "-new", .. KeyArguments(spec.Key), "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject]);
        await OpenSslAsync(["x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key", "-set_serial", Serial(),
            "-out", name + ".pem", "-days", "2", "-" + spec.Digest, "-extfile", extensions]);
    }

    private static string[] KeyArguments(string key) => key.Split(':', 2) switch
    {
        ["ec", var curve] => ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:" + curve],
        ["rsa", var bits] => ["-newkey", "rsa:" + bits],
        _ => throw new ArgumentException($"unknown key spec '{key}'", nameof(key)),
    };

    private static string Serial() => "0x" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLower(CultureInfo.InvariantCulture);

    private async Task OpenSslAsync(string[] arguments)
    {
        var openssl = ExternalProcess.Require("openssl", "openssl");
        var result = await ExternalProcess.RunAsync(openssl, arguments, workingDirectory: Directory, timeout: TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed:\n{result.Transcript}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
