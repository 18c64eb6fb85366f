using System.Buffers.Binary;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Tpm;

/// <summary>
/// A TPM 2.0 reached through one transport, in TSS.MSR's shape: one typed method per command
/// (partial files per command group, each citing its TPM 2.0 Part 3 section), structures in
/// <see cref="Structures"/>, sessions in <see cref="Sessions"/>. Commands are serialised: one at a
/// time on the wire. No resource manager is assumed: callers flush the transient objects and
/// sessions they create (<see cref="FlushContext"/>, <see cref="TransientObject"/>).
/// TPM_RC_RETRY, TPM_RC_YIELDED and TPM_RC_TESTING are retried up to <see cref="MaxRetries"/> times.
/// </summary>
public sealed partial class Tpm2 : IDisposable
{
    private readonly ITpmTransport _transport;
    private readonly Lock _lock = new();

    /// <summary>Uses a transport; disposing this disposes it.</summary>
    public Tpm2(ITpmTransport transport) => _transport = transport ?? throw new ArgumentNullException(nameof(transport));

    /// <summary>Opens the TPM a spec names (<c>device:/dev/tpmrm0</c>, <c>swtpm:host=...,port=...</c>).</summary>
    /// <exception cref="TpmTransportException">The TPM is not there.</exception>
    public static Tpm2 Open(TpmSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new Tpm2(spec.Open());
    }

    /// <summary>The transport.</summary>
    public ITpmTransport Transport => _transport;

    /// <summary>How many times a busy TPM (RETRY, YIELDED, TESTING) is asked again.</summary>
    public int MaxRetries { get; init; } = 50;

    /// <summary>The pause between retries.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    /// <summary>
    /// Runs one command (Part 1 18, "Command/Response Structure"): header, handles, the
    /// authorization area (one session per authorized handle, then any encrypt/decrypt-only
    /// sessions), parameters. Returns a reader over the response parameters, decrypted.
    /// </summary>
    /// <exception cref="TpmResponseException">The TPM refused the command.</exception>
    /// <exception cref="TpmTransportException">The TPM is unreachable.</exception>
    internal TpmReader Execute(TpmCc command, TpmHandle[] handles, int authorizedHandles, ReadOnlySpan<byte> parameters,
        out uint[] responseHandles, int responseHandleCount = 0, IReadOnlyList<TpmSession>? sessions = null)
    {
        var sessionList = sessions ?? (authorizedHandles == 0 ? [] : Enumerable.Repeat<TpmSession>(PasswordSession.Instance, authorizedHandles).ToArray());
        if (sessionList.Count < authorizedHandles)
            throw new ArgumentException($"TPM2_{command} needs {authorizedHandles} authorization session(s), {sessionList.Count} given", nameof(sessions));
        TpmHandle? Authorized(int i) => i < authorizedHandles ? handles[i] : null;

        lock (_lock)
        {
            var parameterBytes = parameters.ToArray();
            for (var i = 0; i < sessionList.Count; i++)
                sessionList[i].BeginCommand(sessionList[i].EncryptsCommand ? FirstTpm2b(parameterBytes) : [], Authorized(i));

            var writer = new TpmWriter(64 + parameterBytes.Length);
            writer.WriteUInt16((ushort)(sessionList.Count > 0 ? TpmSt.Sessions : TpmSt.NoSessions)).WriteUInt32(0).WriteUInt32((uint)command);
            foreach (var handle in handles)
                writer.WriteUInt32(handle.Value);
            if (sessionList.Count > 0)
            {
                var area = new TpmWriter();
                for (var i = 0; i < sessionList.Count; i++)
                    sessionList[i].WriteAuthorization(area, command, handles, parameterBytes, Authorized(i));
                writer.WriteUInt32((uint)area.Length).WriteBytes(area.WrittenSpan);
            }
            writer.WriteBytes(parameterBytes);
            writer.PatchUInt32(2, (uint)writer.Length);

            var response = SendWithRetries(command, writer.ToArray());
            var reader = new TpmReader(response, $"TPM2_{command} response");
            var tag = (TpmSt)reader.ReadUInt16("tag");
            reader.ReadUInt32("responseSize");
            reader.ReadUInt32("responseCode");
            responseHandles = new uint[responseHandleCount];
            for (var i = 0; i < responseHandleCount; i++)
                responseHandles[i] = reader.ReadUInt32("handle");
            byte[] responseParameters;
            if (tag == TpmSt.Sessions)
            {
                var size = reader.ReadUInt32("parameterSize");
                if (size > reader.Remaining)
                    throw new TpmFormatException($"TPM2_{command} response: parameterSize {size} exceeds the {reader.Remaining} byte(s) left");
                responseParameters = reader.ReadBytes((int)size, "parameters");
                for (var i = 0; i < sessionList.Count; i++)
                    sessionList[i].ReadAuthorization(reader, command, responseParameters, Authorized(i));
                for (var i = 0; i < sessionList.Count; i++)
                {
                    if (sessionList[i].EncryptsResponse)
                        sessionList[i].EndCommand(FirstTpm2b(responseParameters), Authorized(i));
                }
            }
            else
            {
                responseParameters = reader.ReadBytes(reader.Remaining, "parameters");
            }
            reader.ExpectEnd();
            return new TpmReader(responseParameters, $"TPM2_{command} response parameters");
        }
    }

    /// <summary>Runs a command with no handles and no sessions.</summary>
    internal TpmReader Execute(TpmCc command, ReadOnlySpan<byte> parameters) =>
        Execute(command, [], 0, parameters, out _);

    private byte[] SendWithRetries(TpmCc command, byte[] bytes)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = _transport.Send(bytes);
            if (response.Length < 10)
                throw new TpmFormatException($"TPM2_{command} response of {response.Length} byte(s) is shorter than a response header");
            var declared = BinaryPrimitives.ReadUInt32BigEndian(response.AsSpan(2));
            if (declared != response.Length)
                throw new TpmFormatException($"TPM2_{command} response declares {declared} byte(s) but {response.Length} arrived");
            var code = new TpmResponseCode(BinaryPrimitives.ReadUInt32BigEndian(response.AsSpan(6)));
            if (code.IsSuccess)
                return response;
            // Part 1 39.8 (TPM_RC_RETRY, YIELDED, TESTING): the command did not run; resubmit it.
            if (code.Code is TpmRc.Retry or TpmRc.Yielded or TpmRc.Testing && attempt < MaxRetries)
            {
                Thread.Sleep(RetryDelay);
                continue;
            }
            throw new TpmResponseException(command, code);
        }
    }

    private static Span<byte> FirstTpm2b(byte[] parameters)
    {
        if (parameters.Length < 2)
            return [];
        var size = BinaryPrimitives.ReadUInt16BigEndian(parameters);
        if (size > parameters.Length - 2)
            throw new TpmFormatException($"the first parameter declares {size} byte(s), {parameters.Length - 2} present");
        return parameters.AsSpan(2, size);
    }
}
