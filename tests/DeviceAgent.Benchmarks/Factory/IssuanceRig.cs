using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Requests;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Benchmarks.Factory;

/// <summary>
/// A CA store (root -> line) in a temp directory with the CA keys where <see cref="CaKey"/> says
/// (<c>file</c>: encrypted PKCS#8 in the store; <c>softhsm</c>: generated in SoftHSM2), the line CA
/// opened once, and device requests made beforehand (EC P-256, as devices make them), in memory
/// and as files. For the openssl comparison it also writes the line CA's key unencrypted, so that
/// openssl pays no key decryption per certificate (its best case).
/// </summary>
public sealed class IssuanceRig : IDisposable
{
    private const string Passphrase = "benchmark passphrase";

    // One SoftHSM2 per process: the module reads its configuration once, when first loaded, so
    // every rig of a process (BenchmarkDotNet's in-process cases) shares the first simulator.
    private static readonly Lazy<Task<TokenSimulator>> s_softHsm = new(async () =>
    {
        var token = await TokenSimulator.StartAsync(TokenKind.SoftHsm);
        token.ApplyToProcess();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => token.Dispose();
        return token;
    });

    private IssuanceRig(string caKey, string directory, CertificateAuthority line, List<byte[]> requests)
    {
        CaKey = caKey;
        Directory = directory;
        Line = line;
        RequestPem = requests;
    }

    public string CaKey { get; }

    public string Directory { get; }

    public CertificateAuthority Line { get; }

    /// <summary>The requests as PEM bytes.</summary>
    public IReadOnlyList<byte[]> RequestPem { get; }

    /// <summary>The requests as files (request-0.csr ...).</summary>
    public IReadOnlyList<string> RequestFiles => [.. Enumerable.Range(0, RequestPem.Count).Select(i => Path.Combine(Directory, $"request-{i}.csr"))];

    public string LineCertificateFile => Path.Combine(Directory, "ca", "line", "certificate.pem");

    /// <summary>The line CA's key, unencrypted (file CA only): what openssl x509 -req -CAkey reads.</summary>
    public string LineKeyFile => Path.Combine(Directory, "line-key.pem");

    public static async Task<IssuanceRig> StartAsync(string caKey, int requests)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("bringup-bench-").FullName;
        TokenSimulator? token = null;
        CaKeyLocation Location(string label)
        {
            if (caKey == "file")
                return CaKeyLocation.EncryptedFile(SecretSource.FromFile(Path.Combine(directory, "ca.pass")));
            return CaKeyLocation.Pkcs11($"pkcs11:token={token!.TokenLabel};object={label}-{Path.GetFileName(directory)}", token.ModulePath,
                SecretSource.FromFile(token.PinFile));
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "ca.pass"), Passphrase);
        if (caKey == "softhsm")
            token = await s_softHsm.Value;
        var keys = new KeyBackends(new KeyBackendOptions(AllowSoftwareKeys: true));
        var store = new CaStore(Path.Combine(directory, "ca"));
        CaCreator.CreateRoot(store, new CaSpecification("root", new X500DistinguishedName("CN=Benchmark Root"), KeyAlgorithm.EcP256, 1,
            TimeSpan.FromDays(3650), Location("root")), keys).Dispose();
        CaCreator.CreateIntermediate(store, new CaSpecification("line", new X500DistinguishedName("CN=Benchmark Line CA"), KeyAlgorithm.EcP256, 0,
            TimeSpan.FromDays(1825), Location("line")), "root", keys).Dispose();
        if (caKey == "file")
        {
            using var key = ECDsa.Create();
            key.ImportFromEncryptedPem(await File.ReadAllTextAsync(Path.Combine(directory, "ca", "line", "key.pem")), Passphrase);
            await File.WriteAllTextAsync(Path.Combine(directory, "line-key.pem"), key.ExportPkcs8PrivateKeyPem());
        }

        var pem = new List<byte[]>(requests);
        for (var i = 0; i < requests; i++)
        {
            using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = CertificationRequest.Create(deviceKey, new X500DistinguishedName($"CN=bench-{i}"));
            pem.Add(System.Text.Encoding.ASCII.GetBytes(request.ToPem()));
            await File.WriteAllBytesAsync(Path.Combine(directory, $"request-{i}.csr"), pem[^1]);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "device.ext"),
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n" +
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        return new IssuanceRig(caKey, directory, CertificateAuthority.Open(store, "line", keys), pem);
    }

    /// <summary>
    /// Issues one leaf per request, as <c>bringup device batch</c> does it: check every request
    /// (self-signature, key strength; on every core, before anything is issued), then sign with the
    /// line CA's key, reserve the serials and append the log with one fsync per batch of
    /// <paramref name="batchSize"/>, and render each certificate as PEM.
    /// </summary>
    public int IssueFromRequests(IReadOnlyList<byte[]> requests, int batchSize, Action<int, string>? write = null) =>
        Issue(CertificationRequests.ParseAll([.. requests.Select(r => (ReadOnlyMemory<byte>)r)], i => $"request-{i}"), batchSize, write);

    /// <summary>
    /// The same from request files to certificate files, as openssl x509 -req -in FILE -out FILE
    /// does it (each file read and written whole; no fsync of the outputs, as openssl does none).
    /// </summary>
    public int IssueFromFiles(IReadOnlyList<string> requestFiles, string outputDirectory, int batchSize)
    {
        System.IO.Directory.CreateDirectory(outputDirectory);
        return Issue(CertificationRequests.LoadAll(requestFiles), batchSize,
            (index, pem) => File.WriteAllText(Path.Combine(outputDirectory, $"leaf-{index}.pem"), pem));
    }

    private int Issue(IReadOnlyList<CheckedRequest> requests, int batchSize, Action<int, string>? write)
    {
        var issued = 0;
        for (var start = 0; start < requests.Count; start += batchSize)
        {
            var batch = new List<DeviceCertificateRequest>(batchSize);
            for (var i = start; i < Math.Min(start + batchSize, requests.Count); i++)
            {
                var request = requests[i].Request ?? throw requests[i].Error!;
                batch.Add(new DeviceCertificateRequest(request, request.RegistrationId(), TimeSpan.FromDays(365)));
            }
            var index = start;
            foreach (var certificate in Line.IssueDevices(batch))
            {
                using (certificate)
                    write?.Invoke(index++, certificate.ToPem());
                issued++;
            }
        }
        return issued;
    }

    public void Dispose()
    {
        Line.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
