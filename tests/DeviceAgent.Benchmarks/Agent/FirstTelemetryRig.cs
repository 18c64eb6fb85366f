using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.TestPeers;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Benchmarks.Agent;

/// <summary>
/// What the device programs of the first-telemetry comparison run against: swtpm (behind
/// tpm2-abrmd and tpm2-pkcs11) for the PKCS#11 agent's keys, a second swtpm with no resource manager
/// for the native agent's keys (our own TPM stack, as on a device with /dev/tpmrm0), a root CA uploaded as verified, a line CA
/// below it with an enrollment group, and the endpoint in this process. Every device it creates
/// is factory-fresh: its own key and leaf (CN = registration id = hub device id), never seen by
/// the endpoint. Everything is stopped and removed on disposal.
/// </summary>
internal sealed class FirstTelemetryRig(TokenSimulator tpm, Swtpm nativeTpm, TestCa root, TestCa line, EndpointUnderTest endpoint, string directory, string agentProgram)
    : IAsyncDisposable
{
    private uint _nextHandle = 0x81000110;

    /// <summary>The endpoint (DPS and hub1), retry-after 0, poll throttling off.</summary>
    public EndpointUnderTest Endpoint { get; } = endpoint;

    private string DeviceEndpoint => $"localhost:{Endpoint.Configuration.DevicePort}";

    /// <summary>Starts the TPM simulator and the endpoint and enrolls the line CA.</summary>
    /// <param name="agentProgram">The deviceagent program the agent devices run.</param>
    public static async Task<FirstTelemetryRig> StartAsync(string agentProgram)
    {
        var tpm = await TokenSimulator.StartAsync(TokenKind.Tpm);
        Swtpm nativeTpm;
        try
        {
            nativeTpm = await Swtpm.StartAsync();
        }
        catch
        {
            tpm.Dispose();
            throw;
        }
        var root = TestCa.CreateRoot("First Telemetry Root");
        var line = root.IssueIntermediate("First Telemetry Line CA");
        try
        {
            tpm.ApplyToProcess(); // this process generates the agents' keys in the token
            var endpoint = await EndpointUnderTest.StartAsync(retryAfterSeconds: 0, throttlePolls: false, minimumLogLevel: LogLevel.Warning);
            try
            {
                await endpoint.Store.UploadCaAsync("root", root.Certificate, verified: true);
                await endpoint.Store.PutGroupAsync("line", line.Certificate);
                return new FirstTelemetryRig(tpm, nativeTpm, root, line, endpoint, Directory.CreateTempSubdirectory("first-telemetry-devices.").FullName, agentProgram);
            }
            catch
            {
                await endpoint.DisposeAsync();
                throw;
            }
        }
        catch
        {
            line.Dispose();
            root.Dispose();
            tpm.Dispose();
            nativeTpm.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An agent device: an EC P-256 key generated inside the TPM, its leaf and chain bundle, and an
    /// agent.json with an empty state directory (so the agent provisions) and telemetry every second.
    /// </summary>
    /// <param name="registrationId">The key label and the leaf's CN.</param>
    /// <param name="spyLog">When set, the agent reaches the token through pkcs11-spy, which logs every call here.</param>
    public DeviceProgram CreateAgent(string registrationId, string? spyLog = null)
    {
        var deviceDirectory = Directory.CreateDirectory(Path.Combine(directory, registrationId)).FullName;
        var key = KeyReference.Parse(Pkcs11Uri.ForPrivateKey(tpm.TokenLabel, registrationId).ToString(), tpm.ModulePath, PinSource.FromFile(tpm.PinFile));
        var publicKey = new Pkcs11KeyBackend().CreateKey(key, KeyAlgorithm.EcP256);
        var chain = WriteChain(deviceDirectory, registrationId, publicKey);

        var environment = new Dictionary<string, string>(tpm.Environment);
        var module = tpm.ModulePath;
        if (spyLog is not null)
        {
            foreach (var (name, value) in Pkcs11Spy.Environment(tpm.ModulePath, spyLog))
                environment[name] = value;
            module = Pkcs11Spy.ModulePath;
        }
        var configPath = Config(new JsonObject { ["module"] = module, ["key"] = key.Text, ["pinFile"] = tpm.PinFile, ["chain"] = chain }, deviceDirectory);

        var start = ExternalProcess.StartInfo(agentProgram, ["run", "--config", configPath], environment, deviceDirectory);
        return new DeviceProgram("agent", registrationId, start);
    }

    /// <summary>
    /// An agent device with its EC P-256 key in the TPM through our own stack: a persistent key
    /// (tpm:handle=0x811000XX) made in the second swtpm, identity.tpm naming it; no PKCS#11 anywhere.
    /// </summary>
    public DeviceProgram CreateNativeAgent(string registrationId)
    {
        var deviceDirectory = Directory.CreateDirectory(Path.Combine(directory, registrationId)).FullName;
        var key = KeyReference.Parse($"tpm:handle=0x{_nextHandle++:X8}");
        DevicePublicKey publicKey;
        using (var backend = new DeviceAgent.Tpm.Keys.TpmKeyBackend(DeviceAgent.Tpm.Transport.TpmSpec.Parse(nativeTpm.Spec)))
            publicKey = backend.CreateKey(key, KeyAlgorithm.EcP256);
        var chain = WriteChain(deviceDirectory, registrationId, publicKey);
        var config = Config(new JsonObject { ["tpm"] = nativeTpm.Spec, ["key"] = key.Text, ["chain"] = chain }, deviceDirectory);
        var start = ExternalProcess.StartInfo(agentProgram, ["run", "--config", config], new Dictionary<string, string>(), deviceDirectory);
        return new DeviceProgram("native", registrationId, start);
    }

    private string WriteChain(string deviceDirectory, string registrationId, DevicePublicKey publicKey)
    {
        using var leaf = line.IssueLeaf(registrationId, publicKey.SubjectPublicKeyInfo.Span);
        var chain = Path.Combine(deviceDirectory, "chain.pem");
        File.WriteAllText(chain, string.Concat(new[] { leaf }.Concat(line.ChainBelowRoot).Select(c => c.ExportCertificatePem() + "\n")));
        return chain;
    }

    private string Config(JsonObject identity, string deviceDirectory)
    {
        var config = new JsonObject
        {
            ["identity"] = identity,
            ["provisioning"] = new JsonObject
            {
                ["endpoint"] = DeviceEndpoint,
                ["idScope"] = Endpoint.Configuration.IdScope,
                ["trust"] = Endpoint.ServerCaPath,
            },
            ["hub"] = new JsonObject { ["trust"] = Endpoint.ServerCaPath, ["telemetryIntervalSeconds"] = 1 },
            ["stateDirectory"] = Path.Combine(deviceDirectory, "state"),
        };
        var configPath = Path.Combine(deviceDirectory, "agent.json");
        File.WriteAllText(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return configPath;
    }

    /// <summary>
    /// A device of the official Node.js SDK (tests/node/dps-device.mjs, unchanged SDK packages): a
    /// software EC P-256 key and its leaf in files; it registers, connects to the assigned hub, sends
    /// one message and, once the hub acknowledged it, stays connected until SIGTERM.
    /// </summary>
    public DeviceProgram CreateNode(string registrationId)
    {
        var deviceDirectory = Directory.CreateDirectory(Path.Combine(directory, registrationId)).FullName;
        using var device = line.IssueDevice(registrationId);
        var certFile = Path.Combine(deviceDirectory, "chain.pem");
        var keyFile = Path.Combine(deviceDirectory, "key.pem");
        File.WriteAllText(certFile, device.ChainPem);
        File.WriteAllText(keyFile, device.KeyPem);
        var start = ExternalProcess.StartInfo(NodeProgram, [Path.Combine(NodeDirectory, "dps-device.mjs")], new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = Endpoint.ServerCaPath,
            ["DPS_HOST"] = DeviceEndpoint,
            ["DPS_ID_SCOPE"] = Endpoint.Configuration.IdScope,
            ["REGISTRATION_ID"] = registrationId,
            ["CERT_FILE"] = certFile,
            ["KEY_FILE"] = keyFile,
            ["TELEMETRY_COUNT"] = "1",
            ["STAY_CONNECTED"] = "1",
        }, NodeDirectory);
        return new DeviceProgram("node", registrationId, start);
    }

    /// <summary>The built agent's apphost (Release, like this benchmark), the program a device runs.</summary>
    /// <exception cref="InvalidOperationException">It is not built.</exception>
    public static string BuiltAgentProgram
    {
        get
        {
            var apphost = Path.ChangeExtension(BuiltPrograms.DeviceAgent, null);
            return File.Exists(apphost) ? apphost : throw new InvalidOperationException($"{apphost} is not built; run: dotnet build src/DeviceAgent -c Release");
        }
    }

    /// <summary>node, with the SDK packages installed.</summary>
    /// <exception cref="InvalidOperationException">node or the npm packages are missing.</exception>
    public static string NodeProgram
    {
        get
        {
            var node = ExternalProcess.Require("node", "nodejs");
            return Directory.Exists(Path.Combine(NodeDirectory, "node_modules", "azure-iot-device-mqtt"))
                ? node
                : throw new InvalidOperationException($"the Node.js SDK packages are not installed in {NodeDirectory}; run './build.sh deps'");
        }
    }

    private static string NodeDirectory => Path.Combine(RepositoryPaths.Root, "tests", "node");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Endpoint.DisposeAsync();
        }
        finally
        {
            line.Dispose();
            root.Dispose();
            tpm.Dispose();
            nativeTpm.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>A device program ready to start: which client, its registration id, its command line and environment.</summary>
internal sealed record DeviceProgram(string Client, string RegistrationId, ProcessStartInfo StartInfo);
