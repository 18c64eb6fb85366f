using DeviceAgent.Pki.Authority;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Issuance;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Issuance;

/// <summary>Imports a test CA as an issuer of the endpoint, its key encrypted in the data directory (as 'issuer import --key-file' does).</summary>
internal static class IssuerFixture
{
    public static void Import(EndpointUnderTest endpoint, TestCa ca, string work, string name)
    {
        File.WriteAllText(Path.Combine(work, $"{name}.pem"), ca.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(work, $"{name}.key"), ca.Key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(work, $"{name}.passphrase"), "endpoint issuer passphrase\n");
        var issuers = new IssuerStore(endpoint.Data.Path);
        Directory.CreateDirectory(issuers.Path);
        using var imported = CaImporter.Import(issuers.Store, new CaImportSpecification(name, Path.Combine(work, $"{name}.pem"), null,
            Path.Combine(work, $"{name}.key"), null, CaKeyLocation.EncryptedFile(SecretSource.FromFile(Path.Combine(work, $"{name}.passphrase")))), IssuerStore.Keys);
    }
}
