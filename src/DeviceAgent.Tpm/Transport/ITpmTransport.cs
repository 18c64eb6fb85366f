namespace DeviceAgent.Tpm.Transport;

/// <summary>
/// The one-method contract between the TPM stack and a TPM (go-tpm's <c>transport.TPM</c>): send
/// one marshalled command, get its marshalled response. Implementations are thread-safe (one
/// command at a time on the wire) and never interpret the bytes beyond the response header's size.
/// </summary>
public interface ITpmTransport : IDisposable
{
    /// <summary>Sends one command and returns the whole response.</summary>
    /// <exception cref="TpmTransportException">The TPM cannot be reached, the connection broke or no response came in time.</exception>
    byte[] Send(ReadOnlySpan<byte> command);
}
