using System.Diagnostics;
using System.Security.Authentication;
using DeviceAgent.Keys;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Tpm.Tests.Keys;

/// <summary>
/// fvt: TLS with the device key in swtpm through our stack and the OpenSSL key-method bridge (no
/// tpm2-pkcs11, no abrmd, no engine), against openssl s_server trusting only the root. The TPM
/// commands are counted at the transport by command code (<see cref="CountingTransport"/>): a
/// TPM_RC_RETRY answer makes the stack send the same command again, so "signatures made" is
/// CountOf(TPM2_Sign) minus the busy answers, which are counted apart.
/// </summary>
public sealed class TpmTlsTests(SwtpmFixture fixture) : IClassFixture<SwtpmFixture>, IDisposable
{
    private readonly TestChain _chain = TestChain.Create("Tpm Tls");

    [Fact]
    public async Task Server_trusting_only_the_root_sees_the_full_chain_and_each_handshake_is_one_tpm2_sign()
    {
        var reference = KeyReference.Parse("tpm:handle=0x81000121");
        CountingTransport? counter = null;
        fixture.Transport.Close();
        using var backend = new TpmKeyBackend(TpmSpec.Parse(fixture.Simulator.Spec), t => counter = new CountingTransport(t));
        var publicKey = backend.CreateKey(reference, KeyAlgorithm.EcP256);
        using var tlsKey = backend.OpenForTls(reference);
        using var leaf = _chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "tpm-tls-device");
        // No session tickets: every handshake is a full one with a CertificateVerify.
        await using var server = await OpenSslServer.StartAsync(_chain.Root, extraArguments: ["-num_tickets", "0"]);

        // The first handshake after the key was persisted: swtpm may answer its TPM2_Sign with TPM_RC_RETRY once.
        counter!.Reset();
        var page = await SServerClient.HandshakeAsync(server, leaf, tlsKey, _chain.Intermediate);
        Assert.Contains("TLSv1.3", page, StringComparison.Ordinal);
        Assert.Equal(1, counter.CountOf(TpmCc.Sign) - counter.BusyResponses);
        Assert.Contains("depth=2 CN = Tpm Tls Root", server.Output, StringComparison.Ordinal);
        Assert.Contains("depth=1 CN = Tpm Tls Intermediate", server.Output, StringComparison.Ordinal);
        Assert.Contains("depth=0 CN = tpm-tls-device", server.Output, StringComparison.Ordinal);

        counter.Reset();
        const int handshakes = 3;
        for (var i = 0; i < handshakes; i++)
            await SServerClient.HandshakeAsync(server, leaf, tlsKey, _chain.Intermediate);
        var counts = string.Join(", ", counter.Snapshot().Select(kv => $"{kv.Key}={kv.Value}"));
        // Exactly one command per handshake crosses the wire, and it is TPM2_Sign.
        Assert.True(counter.CountOf(TpmCc.Sign) == handshakes && counter.Total == handshakes && counter.BusyResponses == 0, counts);
        Assert.Equal(handshakes + 1, OpenSslKeyMethodBridge.OperationsOf(tlsKey)!.Succeeded);
        Assert.DoesNotContain("verify error", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tpm_killed_mid_handshake_fails_the_handshake_promptly_with_the_tpm_error()
    {
        // A TPM of its own: this one dies.
        using var swtpm = await Swtpm.StartAsync();
        var reference = KeyReference.Parse("tpm:handle=0x81000122");
        KillOnSign? killer = null;
        using var backend = new TpmKeyBackend(TpmSpec.Parse(swtpm.Spec), t => killer = new KillOnSign(t, swtpm));
        var publicKey = backend.CreateKey(reference, KeyAlgorithm.EcP256);
        using var tlsKey = backend.OpenForTls(reference);
        using var leaf = _chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "tpm-dies");
        await using var server = await OpenSslServer.StartAsync(_chain.Root);
        killer!.Armed = true;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<AuthenticationException>(() => SServerClient.HandshakeAsync(server, leaf, tlsKey, _chain.Intermediate));
        clock.Stop();

        // The TPM went away between ClientHello and CertificateVerify: the sign fails with the
        // transport's reason at once (no retry loop, no wait for the bridge's 30 s bound).
        Assert.True(killer.Killed, "the simulator was not killed during the handshake");
        var failure = OpenSslKeyMethodBridge.OperationsOf(tlsKey)!.LastFailure;
        Assert.NotNull(failure);
        Assert.Contains("TPM2_Sign with the key at 0x81000122 failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{swtpm.Port}", failure.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"the failed handshake took {clock.Elapsed}; {error.Message}");
    }

    public void Dispose() => _chain.Dispose();

    /// <summary>Kills the simulator when the first TPM2_Sign is about to go out (once armed): the TPM dies mid-handshake.</summary>
    private sealed class KillOnSign(ITpmTransport inner, Swtpm swtpm) : ITpmTransport
    {
        public bool Armed { get; set; }

        public bool Killed { get; private set; }

        public byte[] Send(ReadOnlySpan<byte> command)
        {
            if (Armed && !Killed && command.Length >= 10 && (TpmCc)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(command[6..]) == TpmCc.Sign)
            {
                swtpm.Kill();
                Killed = true;
            }
            return inner.Send(command);
        }

        public void Dispose() => inner.Dispose();
    }
}
