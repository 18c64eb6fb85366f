using System.Text.Json;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>
/// <c>bringup enrollment create --endorsement-key</c> against a real endpoint with the EK that
/// tpm2_createek writes from swtpm: created as a TPM individual enrollment, the same EK in base64
/// is an idempotent rerun, another EK conflicts, a file that is no TPM2B_PUBLIC is exit 2.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class TpmEnrollmentTests(TokenSimulators tokens) : IAsyncLifetime
{
    private readonly Workspace _workspace = new(tokens);
    private LocalEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await LocalEndpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task The_EK_tpm2_createek_writes_becomes_a_TPM_enrollment_and_reruns_are_idempotent()
    {
        using var tpm = await Swtpm.StartAsync();
        var ekFile = _workspace.In("ek.pub");
        var created = await tpm.RunToolAsync("tpm2_createek", "-c", Path.Combine(tpm.Directory, "ek.ctx"), "-G", "rsa", "-u", ekFile);
        Assert.True(created.ExitCode == 0, created.Transcript);
        var base64File = _workspace.File("ek.b64", Convert.ToBase64String(File.ReadAllBytes(ekFile)) + "\n");

        var first = await JsonAsync("enrollment", "create", "--registration-id", "tpm-device", "--endorsement-key", ekFile);
        var again = await JsonAsync("enrollment", "create", "--registration-id", "tpm-device", "--endorsement-key", base64File);

        Assert.Equal("created", first.GetProperty("outcome").GetString());
        Assert.Equal("already-exists", again.GetProperty("outcome").GetString());
        var enrollment = await _endpoint.Store.GetIndividualEnrollmentAsync("tpm-device");
        Assert.Equal(File.ReadAllBytes(ekFile), enrollment!.EndorsementKey);
    }

    [Fact]
    public async Task A_file_that_is_no_TPM2B_PUBLIC_or_both_attestations_are_usage_errors()
    {
        var garbage = _workspace.File("garbage.pub", "not a key");
        var chain = _workspace.File("chain.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");

        var notAKey = await Bringup.RunAsync(_workspace, _endpoint.Environment,
            ["enrollment", "create", "--registration-id", "x", "--endorsement-key", garbage, .. _endpoint.Trust]);
        var both = await Bringup.RunAsync(_workspace, _endpoint.Environment,
            ["enrollment", "create", "--registration-id", "x", "--endorsement-key", garbage, "--cert", chain, .. _endpoint.Trust]);

        Assert.True(notAKey.ExitCode == 2, notAKey.Transcript);
        Assert.Contains("is not a TPM2B_PUBLIC (nor its base64)", notAKey.StandardError, StringComparison.Ordinal);
        Assert.True(both.ExitCode == 2, both.Transcript);
        Assert.Contains("give one of --cert FILE (X.509 attestation) or --endorsement-key FILE", both.StandardError, StringComparison.Ordinal);
        Assert.Null(await _endpoint.Store.GetIndividualEnrollmentAsync("x"));
    }

    private async Task<JsonElement> JsonAsync(params string[] arguments)
    {
        var result = await Bringup.SucceedsAsync(_workspace, [.. arguments, "--json", .. _endpoint.Trust], _endpoint.Environment);
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }
}
