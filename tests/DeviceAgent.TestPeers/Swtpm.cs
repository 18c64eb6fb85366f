using System.Diagnostics;
using System.Text;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A real TPM 2.0 simulator (swtpm/libtpms) with no resource manager: started in a fresh temp dir
/// on two free ports (data, control = data+1) with
/// <c>swtpm socket --tpm2 --flags not-need-init,startup-clear</c>, stopped and deleted on dispose.
/// It has three transient object slots, as the real simulator does. With
/// <c>createEkCertificate</c> the state is first made by <c>swtpm_setup --create-ek-cert</c>
/// with a private swtpm-localca (its CA certificate is <see cref="EkIssuerCertificate"/>).
/// </summary>
public sealed class Swtpm : IDisposable
{
    private readonly StringBuilder _log = new();
    private Process _process;

    private Swtpm(string directory, int port, string? ekIssuer)
    {
        Directory = directory;
        Port = port;
        EkIssuerCertificate = ekIssuer;
        _process = Launch();
    }

    /// <summary>The simulator's temp dir.</summary>
    public string Directory { get; }

    /// <summary>The data channel port (control at +1).</summary>
    public int Port { get; }

    /// <summary>Our TPM spec string for it.</summary>
    public string Spec => $"swtpm:host=127.0.0.1,port={Port}";

    /// <summary>The tpm2-tools TCTI for it (TPM2TOOLS_TCTI).</summary>
    public string Tcti => $"swtpm:host=127.0.0.1,port={Port}";

    /// <summary>The PEM file of the local CA that signed the EK certificate, when one was made.</summary>
    public string? EkIssuerCertificate { get; }

    /// <summary>The PEM file of swtpm_localca's root, which issued <see cref="EkIssuerCertificate"/> (the "TPM vendor's EK root"), when one was made.</summary>
    public string? EkRootCertificate => EkIssuerCertificate is null ? null : Path.Combine(Path.GetDirectoryName(EkIssuerCertificate)!, "swtpm-localca-rootca-cert.pem");

    /// <summary>Starts a simulator.</summary>
    /// <exception cref="InvalidOperationException">swtpm (or swtpm_setup) is not installed.</exception>
    public static async Task<Swtpm> StartAsync(bool createEkCertificate = false)
    {
        ExternalProcess.Require("swtpm", "swtpm");
        var directory = System.IO.Directory.CreateTempSubdirectory("swtpm-").FullName;
        var state = StateDirectory(directory);
        System.IO.Directory.CreateDirectory(state);
        string? issuer = null;
        if (createEkCertificate)
            issuer = await SetupWithEkCertificateAsync(directory, state);
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            // The control port must be free too; take another pair if it is not.
            var control = FreePort.Next();
            if (control != port + 1 && !PortIsFree(port + 1))
                continue;
            var peer = new Swtpm(directory, port, issuer);
            try
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), () => peer.Log);
                return peer;
            }
            catch (TimeoutException) when (attempt < 3 && peer._process.HasExited)
            {
                peer.Stop();
            }
        }
    }

    /// <summary>Everything swtpm printed.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>Runs a tpm2-tools program against this simulator (no resource manager in between).</summary>
    public Task<ProcessResult> RunToolAsync(string tool, params string[] arguments) =>
        ExternalProcess.RunAsync(ExternalProcess.Require(tool, "tpm2-tools"), arguments,
            new Dictionary<string, string> { ["TPM2TOOLS_TCTI"] = Tcti }, TimeSpan.FromSeconds(60), workingDirectory: Directory);

    /// <summary>
    /// What an attacker would offer as a device key: an ECC signing key tpm2-tools made under an owner
    /// primary with sign|userwithauth|sensitivedataorigin but no fixedTPM|fixedParent (duplicable),
    /// persisted at <paramref name="persistentHandle"/>. Transient objects are flushed after each tool.
    /// </summary>
    /// <exception cref="InvalidOperationException">A tool failed (its transcript).</exception>
    public async Task PersistDuplicableKeyAsync(uint persistentHandle)
    {
        string[][] steps =
        [
            ["tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc", "-c", "primary.ctx"],
            ["tpm2_create", "-C", "primary.ctx", "-G", "ecc", "-a", "sign|userwithauth|sensitivedataorigin", "-u", "dup.pub", "-r", "dup.priv"],
            ["tpm2_load", "-C", "primary.ctx", "-u", "dup.pub", "-r", "dup.priv", "-c", "dup.ctx"],
            ["tpm2_evictcontrol", "-C", "o", "-c", "dup.ctx", $"0x{persistentHandle:X8}"],
        ];
        foreach (var step in steps)
        {
            var run = await RunToolAsync(step[0], step[1..]);
            // No resource manager: each tool's transient objects stay loaded until flushed (three slots).
            await RunToolAsync("tpm2_flushcontext", "-t");
            if (run.ExitCode != 0)
                throw new InvalidOperationException($"{step[0]} failed: {run.Transcript}");
        }
    }

    /// <summary>
    /// Starts the simulator again after <see cref="Kill"/>, on the same ports with the same state
    /// directory, as a TPM that lost power and came back: persistent objects are there, loaded ones are gone.
    /// </summary>
    /// <exception cref="TimeoutException">It did not listen again within 10 s (the log says why).</exception>
    public async Task StartAgainAsync()
    {
        Kill();
        _process.Dispose();
        _process = Launch();
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), () => Log);
    }

    private static string StateDirectory(string directory) => Path.Combine(directory, "state");

    private Process Launch()
    {
        var info = ExternalProcess.StartInfo(ExternalProcess.Require("swtpm", "swtpm"), [
            "socket", "--tpm2",
            "--server", $"type=tcp,port={Port},bindaddr=127.0.0.1",
            "--ctrl", $"type=tcp,port={Port + 1},bindaddr=127.0.0.1",
            "--flags", "not-need-init,startup-clear",
            "--tpmstate", $"dir={StateDirectory(Directory)}",
        ]);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the simulator (as a crash would), keeping the temp dir.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Stop()
    {
        Kill();
        _process.Dispose();
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static async Task<string> SetupWithEkCertificateAsync(string directory, string state)
    {
        var setup = ExternalProcess.Require("swtpm_setup", "swtpm-tools");
        var localca = ExternalProcess.Require("swtpm_localca", "swtpm-tools");
        var ca = System.IO.Directory.CreateDirectory(Path.Combine(directory, "localca")).FullName;
        var caConfig = Path.Combine(directory, "swtpm-localca.conf");
        await File.WriteAllTextAsync(caConfig,
            $"statedir = {ca}\nsigningkey = {ca}/signkey.pem\nissuercert = {ca}/issuercert.pem\ncertserial = {ca}/certserial\n");
        var options = Path.Combine(directory, "swtpm-localca.options");
        await File.WriteAllTextAsync(options, "--platform-manufacturer DeviceAgent\n--platform-version 2.1\n--platform-model swtpm\n");
        var setupConfig = Path.Combine(directory, "swtpm_setup.conf");
        await File.WriteAllTextAsync(setupConfig,
            $"create_certs_tool = {localca}\ncreate_certs_tool_config = {caConfig}\ncreate_certs_tool_options = {options}\n");
        var result = await ExternalProcess.RunAsync(setup, [
            "--tpm2", "--tpmstate", state, "--create-ek-cert", "--config", setupConfig, "--overwrite", "--display",
        ], timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0)
            throw new InvalidOperationException("swtpm_setup --create-ek-cert failed\n" + result.Transcript);
        return Path.Combine(ca, "issuercert.pem");
    }
}
