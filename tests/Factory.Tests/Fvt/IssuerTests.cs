using System.Security.Cryptography.X509Certificates;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>
/// cert-renewal: the endpoint's issuers. The endpoint makes an issuer key and a request, bringup's
/// CA signs it, the endpoint imports the certificate (the key never leaves the endpoint); an issuer
/// imported with its key file is kept encrypted; an enrollment group names the issuer and the
/// leaves' lifetime, and the endpoint stores that policy, refusing an issuer it does not hold.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class IssuerTests(TokenSimulators tokens) : IAsyncLifetime
{
    private static readonly string s_endpoint = Path.Combine(AppContext.BaseDirectory, "provisioning-endpoint.dll");
    private readonly Workspace _workspace = new(tokens);
    private LocalEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await LocalEndpoint.StartAsync();
        await Bringup.SucceedsAsync(_workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Issuer Test Root", .. _workspace.FileKey()]);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task The_endpoint_makes_the_key_bringup_signs_its_request_and_the_endpoint_imports_the_certificate()
    {
        var data = _endpoint.Data.Path;

        await EndpointSucceedsAsync("issuer", "create-request", "--data-dir", data, "--name", "line-issuer", "--subject", "CN=Line Issuer",
            "--passphrase-file", _workspace.PassphraseFile, "--out", _workspace.In("issuer.csr"));
        await Bringup.SucceedsAsync(_workspace, ["ca", "sign-request", "--issuer", "root", "--csr", "issuer.csr", "--out", "issuer.pem", "--days", "30"]);
        var imported = await EndpointSucceedsAsync("issuer", "import", "--data-dir", data, "--name", "line-issuer", "--cert", _workspace.In("issuer.pem"));

        Assert.Contains("issuer 'line-issuer' imported: CN=Line Issuer", imported.StandardOutput, StringComparison.Ordinal);
        var key = File.ReadAllText(Path.Combine(data, "issuers", "line-issuer", "key.pem"));
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", key, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data, "issuer-requests", "line-issuer")), "the pending key is the issuer's now");
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(_workspace.In("issuer.pem"));
        Assert.True(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Contains("line-issuer\tCN=Line Issuer", (await EndpointSucceedsAsync("issuer", "list", "--data-dir", data)).StandardOutput, StringComparison.Ordinal);
        Assert.Contains("exists already", (await EndpointSucceedsAsync("issuer", "import", "--data-dir", data, "--name", "line-issuer", "--cert", _workspace.In("issuer.pem"))).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_names_the_issuer_and_the_lifetime_and_an_unknown_issuer_is_refused()
    {
        await Bringup.SucceedsAsync(_workspace, ["ca", "create-intermediate", "--name", "issuing", "--issuer", "root", "--subject", "CN=Imported Issuer", .. _workspace.FileKey()]);
        var data = _endpoint.Data.Path;
        var wrong = await EndpointRunAsync("issuer", "import", "--data-dir", data, "--name", "imported", "--cert", _workspace.In("ca", "issuing", "certificate.pem"),
            "--key-file", _workspace.In("ca", "issuing", "key.pem"));
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("give --key-passphrase-file with --key-file", wrong.StandardError, StringComparison.Ordinal);
        await EndpointSucceedsAsync("issuer", "import", "--data-dir", data, "--name", "imported", "--cert", _workspace.In("ca", "issuing", "certificate.pem"),
            "--key-file", _workspace.In("ca", "issuing", "key.pem"), "--key-passphrase-file", _workspace.PassphraseFile);
        await Bringup.SucceedsAsync(_workspace, ["ca", "upload", "--ca", "root", .. _endpoint.Trust], _endpoint.Environment);
        await Bringup.SucceedsAsync(_workspace, ["ca", "verify", "--ca", "root", .. _endpoint.Trust], _endpoint.Environment);

        await Bringup.SucceedsAsync(_workspace, ["enrollment-group", "create", "--id", "renewing", "--ca", "root", "--issuer", "imported", "--certificate-validity", "10m",
            .. _endpoint.Trust], _endpoint.Environment);
        var unknown = await Bringup.RunAsync(_workspace, _endpoint.Environment, ["enrollment-group", "create", "--id", "other", "--ca", "issuing", "--issuer", "nobody",
            "--certificate-days", "30", .. _endpoint.Trust]);

        var group = await _endpoint.Store.GetEnrollmentGroupAsync("renewing");
        Assert.Equal(("imported", TimeSpan.FromMinutes(10)), (group!.Issuance!.IssuerName, group.Issuance.Validity));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("'nobody', which is not one of this endpoint's issuers", unknown.StandardError, StringComparison.Ordinal);
        Assert.Null(await _endpoint.Store.GetEnrollmentGroupAsync("other"));
    }

    private async Task<ProcessResult> EndpointSucceedsAsync(params string[] arguments)
    {
        var result = await EndpointRunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"provisioning-endpoint {string.Join(' ', arguments)}\n{result.Transcript}");
        return result;
    }

    private Task<ProcessResult> EndpointRunAsync(params string[] arguments) =>
        ExternalProcess.RunAsync("dotnet", [s_endpoint, .. arguments], _workspace.Tokens.CombinedEnvironment(), TimeSpan.FromSeconds(120), workingDirectory: _workspace.Path);
}
