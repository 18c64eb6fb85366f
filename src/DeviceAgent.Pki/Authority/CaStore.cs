using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Files;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// A directory of CAs, one subdirectory each, laid out so that a person can see what it holds:
/// <code>
/// ca/NAME/ca.json           the key reference (PKCS#11 URI + module + PIN source, or the key file + passphrase source), the issuer's name, the origin
/// ca/NAME/certificate.pem   the CA certificate
/// ca/NAME/key.pem           the private key as encrypted PKCS#8 (mode 0600), when it is kept in a file
/// ca/NAME/serials.txt       serial state: every serial the CA has reserved, append-only
/// ca/NAME/issued.jsonl      issuance log: one JSON line per certificate signed, append-only
/// ca/NAME/README.txt        this list
/// </code>
/// A CA appears in the store only whole: it is assembled in a staging directory and renamed into
/// place. Reading is safe from any number of processes; a CA that signs is locked (see
/// <see cref="CertificateAuthority"/>).
/// </summary>
public sealed class CaStore
{
    /// <summary>The store directory used when none is given.</summary>
    public const string DefaultDirectory = "ca";

    /// <summary>The descriptor's file name.</summary>
    public const string DescriptorFileName = "ca.json";

    /// <summary>The certificate's file name.</summary>
    public const string CertificateFileName = "certificate.pem";

    private const string ReadmeFileName = "README.txt";

    /// <summary>Opens (without creating) the store in <paramref name="directory"/>.</summary>
    public CaStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The store's absolute path.</summary>
    public string Directory { get; }

    /// <summary>The names of the CAs in the store, sorted.</summary>
    public IReadOnlyList<string> Names =>
        !System.IO.Directory.Exists(Directory)
            ? []
            : [.. System.IO.Directory.EnumerateDirectories(Directory)
                .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, DescriptorFileName)))
                .Select(Path.GetFileName)
                .Order(StringComparer.Ordinal)
                .Select(n => n!)];

    /// <summary>What is wrong with <paramref name="name"/> as a CA name; null when nothing is.</summary>
    public static string? FindNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "a CA name cannot be empty";
        if (name.Length > 64)
            return "a CA name is at most 64 characters";
        if (!char.IsAsciiLetterOrDigit(name[0]) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            return $"'{name}' is not a usable CA name: use letters, digits, '-', '_' and '.', starting with a letter or digit (it names a directory)";
        return null;
    }

    /// <summary>Whether a CA of that name is in the store.</summary>
    public bool Contains(string name) => FindNameProblem(name) is null && File.Exists(Path.Combine(DirectoryOf(name), DescriptorFileName));

    /// <summary>Reads a CA's entry.</summary>
    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.NotFound"/> (naming the CAs present),
    /// <see cref="CertificateAuthorityError.InvalidName"/>, or <see cref="CertificateAuthorityError.StoreCorrupt"/>.</exception>
    public CaEntry Get(string name)
    {
        if (FindNameProblem(name) is { } problem)
            throw new CertificateAuthorityException(CertificateAuthorityError.InvalidName, problem);
        var directory = DirectoryOf(name);
        var descriptorPath = Path.Combine(directory, DescriptorFileName);
        if (!File.Exists(descriptorPath))
        {
            var names = Names;
            var present = names.Count == 0 ? $"the store '{Directory}' holds no CA yet (create one with 'bringup ca create-root')" : $"CAs in '{Directory}': {string.Join(", ", names)}";
            throw new CertificateAuthorityException(CertificateAuthorityError.NotFound, $"no CA named '{name}'; {present}");
        }

        CaDescriptor descriptor;
        try
        {
            descriptor = JsonSerializer.Deserialize(File.ReadAllText(descriptorPath), PkiJson.Default.CaDescriptor)
                ?? throw new JsonException("the file holds null");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.StoreCorrupt, $"CA '{name}': '{descriptorPath}' cannot be read ({e.Message})", e);
        }

        var certificatePath = Path.Combine(directory, CertificateFileName);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.StoreCorrupt, $"CA '{name}': '{certificatePath}' cannot be read ({e.Message})", e);
        }
        return new CaEntry(directory, descriptor, certificate);
    }

    /// <summary>
    /// The CA and the CAs above it, up to the root when the store holds it: <c>[name, its issuer, ..., top]</c>.
    /// Each link is checked: the issuer's key verifies the certificate below it. The caller disposes the entries.
    /// </summary>
    /// <exception cref="CertificateAuthorityException">A CA is missing or unreadable (<see cref="CertificateAuthorityError.BrokenChain"/> for a link that does not verify).</exception>
    public IReadOnlyList<CaEntry> ChainOf(string name)
    {
        var chain = new List<CaEntry>();
        try
        {
            var current = Get(name);
            chain.Add(current);
            while (current.IssuerName is { } issuerName)
            {
                if (chain.Any(e => string.Equals(e.Name, issuerName, StringComparison.Ordinal)))
                    throw new CertificateAuthorityException(CertificateAuthorityError.BrokenChain, $"CA '{name}': the issuer names form a loop at '{issuerName}'");
                var issuer = Get(issuerName);
                chain.Add(issuer);
                var verification = CertificateSignature.Verify(current.Certificate, issuer.Certificate);
                if (!CertificateSignature.NamesChain(current.Certificate, issuer.Certificate) || !verification.IsValid)
                {
                    throw new CertificateAuthorityException(CertificateAuthorityError.BrokenChain,
                        $"CA '{current.Name}' ({current.Certificate.Subject}) is not issued by its recorded issuer '{issuer.Name}' ({issuer.Certificate.Subject}): "
                        + (verification.Problem ?? "the issuer name does not match") + " (RFC 5280 6.1.3 (a))");
                }
                current = issuer;
            }
            return chain;
        }
        catch
        {
            foreach (var entry in chain)
                entry.Dispose();
            throw;
        }
    }

    /// <summary>Every registration id issued by any CA of the store, from their logs.</summary>
    /// <exception cref="CertificateAuthorityException">A log or descriptor is damaged.</exception>
    public RegistrationLedger ReadLedger()
    {
        var ledger = new RegistrationLedger();
        foreach (var name in Names)
        {
            using var entry = Get(name);
            ledger.Add(name, entry.Log.Read());
        }
        return ledger;
    }

    internal string DirectoryOf(string name) => Path.Combine(Directory, name);

    /// <summary>A fresh, private directory in the store to assemble a CA in.</summary>
    internal string NewStagingDirectory(string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var staging = Path.Combine(Directory, $".{name}.staging-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return staging;
    }

    /// <summary>Writes the descriptor and certificate of a CA being assembled in <paramref name="staging"/>.</summary>
    internal static void WriteEntry(string staging, CaDescriptor descriptor, X509Certificate2 certificate)
    {
        AtomicFile.Write(Path.Combine(staging, CertificateFileName), certificate.ExportCertificatePem() + "\n");
        AtomicFile.Write(Path.Combine(staging, DescriptorFileName),
            JsonSerializer.Serialize(descriptor, PkiJson.Default.CaDescriptor) + "\n");
        AtomicFile.Write(Path.Combine(staging, ReadmeFileName), Readme(descriptor));
    }

    /// <summary>Moves a fully written staging directory into place as CA <paramref name="name"/>.</summary>
    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.AlreadyExists"/> when another process created it first.</exception>
    internal void Commit(string staging, string name)
    {
        var target = DirectoryOf(name);
        try
        {
            DirectorySync.Flush(staging);
            System.IO.Directory.Move(staging, target);
            DirectorySync.Flush(Directory);
        }
        catch (IOException e) when (System.IO.Directory.Exists(target))
        {
            throw new CertificateAuthorityException(CertificateAuthorityError.AlreadyExists, $"CA '{name}' was created by another process meanwhile", e);
        }
    }

    internal static void DiscardStaging(string staging)
    {
        try
        {
            if (System.IO.Directory.Exists(staging))
                System.IO.Directory.Delete(staging, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover .NAME.staging-* directory is ignored by the store
        }
    }

    private static string Readme(CaDescriptor descriptor) =>
        $"""
        CA '{descriptor.Name}', kept by bringup ({descriptor.Origin} {descriptor.Created:yyyy-MM-dd'T'HH:mm:ss'Z'}).
        issuer in this store: {descriptor.Issuer ?? "none (a root, or an imported CA whose issuer is not here)"}
        key: {descriptor.Key}

        ca.json          key reference and issuer (never a PIN or passphrase: only where to read it)
        certificate.pem  this CA's certificate
        key.pem          the private key, encrypted PKCS#8, mode 0600 (only when the key is kept in a file)
        serials.txt      serial state: every serial number this CA has reserved; never reused
        issued.jsonl     issuance log: one JSON line per certificate this CA signed; append-only
        .lock            held by the bringup process that is using this CA

        """.Replace("\r", "", StringComparison.Ordinal);
}
