using System.Diagnostics;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A TLS client connection made by <c>openssl s_client</c> at security level 0, exposed as a
/// Stream (its stdin and stdout): how a test presents a certificate chain that this machine's own
/// TLS stack (OpenSSL 3 at security level 2) would refuse to send, such as an RSA-1024 leaf or a
/// SHA-1 signed intermediate, so that the server's own policy is what judges it. Disposing the
/// stream kills s_client.
/// </summary>
public sealed class OpenSslClientStream : Stream
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;

    private OpenSslClientStream(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> presenting the chain's leaf and intermediate.</summary>
    /// <param name="host">The server's host name (also the SNI name).</param>
    /// <param name="port">The server's port.</param>
    /// <param name="chain">The chain to present.</param>
    /// <param name="serverCaPath">The CA that signed the server certificate; the server is verified against it.</param>
    /// <exception cref="InvalidOperationException">openssl is not installed.</exception>
    public static OpenSslClientStream Start(string host, int port, OpenSslChain chain, string serverCaPath)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var openssl = ExternalProcess.Require("openssl", "openssl");
        var start = new ProcessStartInfo(openssl)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["s_client", "-connect", $"{host}:{port}", "-servername", host, "-quiet", "-nocommands",
                     "-cipher", "DEFAULT@SECLEVEL=0", "-cert", chain.LeafPath, "-key", chain.LeafKeyPath, "-cert_chain", chain.IntermediatePath,
                     "-CAfile", serverCaPath, "-verify_return_error"])
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new OpenSslClientStream(process);
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override void Flush() => _input.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _input.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => _output.Read(buffer, offset, count);

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _output.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        _input.Write(buffer, offset, count);
        _input.Flush();
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _input.WriteAsync(buffer, cancellationToken);
        await _input.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                if (!_process.HasExited)
                    _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
        }
        base.Dispose(disposing);
    }
}
