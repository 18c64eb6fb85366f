namespace Deploy.Tests.Install;

/// <summary>
/// Both packages installed by dpkg into a scratch root (see <see cref="ScratchRoot"/>): the users,
/// directories and registrations their maintainer scripts make, and the installed programs run:
/// the agent's native executables, the endpoint through its launcher on this machine's .NET runtime.
/// </summary>
[Collection(BuiltPackages.Name)]
public sealed class InstallTests(PackageBuild packages)
{
    [Fact]
    public async Task Installing_creates_the_service_users_in_the_scratch_root_and_nothing_on_this_machine()
    {
        var passwd = await File.ReadAllTextAsync("/etc/passwd");
        var group = await File.ReadAllTextAsync("/etc/group");
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.Agent, packages.Endpoint);

        var agent = root.Entry("passwd", "deviceagent")!;
        Assert.Equal(["/var/lib/deviceagent", "/usr/sbin/nologin"], agent[5..7]);
        Assert.True(int.Parse(agent[2], System.Globalization.CultureInfo.InvariantCulture) < 1000, "deviceagent is not a system user: " + string.Join(':', agent));
        Assert.Contains("deviceagent", root.Entry("group", "tss")![3].Split(','));
        Assert.Contains("deviceagent", root.Entry("group", "gpio")![3].Split(','));
        var endpoint = root.Entry("passwd", "provisioning-endpoint")!;
        Assert.Equal(["/var/lib/provisioning-endpoint", "/usr/sbin/nologin"], endpoint[5..7]);
        Assert.DoesNotContain(File.ReadLines(root.At("/etc/group")), line => line.Split(':')[3].Split(',').Contains("provisioning-endpoint"));

        Assert.Equal(passwd, await File.ReadAllTextAsync("/etc/passwd"));
        Assert.Equal(group, await File.ReadAllTextAsync("/etc/group"));
    }

    [Fact]
    public async Task The_configuration_and_state_directories_belong_to_the_service_users()
    {
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.Agent, packages.Endpoint);
        var (agent, agentGroup) = (root.Id("passwd", "deviceagent"), root.Id("group", "deviceagent"));
        var (endpoint, endpointGroup) = (root.Id("passwd", "provisioning-endpoint"), root.Id("group", "provisioning-endpoint"));
        // As hardware/raspberry-pi/create-agent-user.sh makes them.
        Assert.Equal($"750 0 {agentGroup}", await root.StatAsync("/etc/deviceagent"));
        Assert.Equal($"750 {agent} {agentGroup}", await root.StatAsync("/var/lib/deviceagent"));
        Assert.Equal("644 0 0", await root.StatAsync("/etc/deviceagent/agent.json"));
        Assert.Equal($"755 0 {endpointGroup}", await root.StatAsync("/etc/provisioning-endpoint"));
        Assert.Equal($"700 {endpoint} {endpointGroup}", await root.StatAsync("/var/lib/provisioning-endpoint"));
        Assert.Equal("755 0 0", await root.StatAsync("/usr/bin/deviceagent"));
    }

    [Fact]
    public async Task The_units_are_registered_but_not_enabled()
    {
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.Agent, packages.Endpoint);
        foreach (var unit in new[] { "deviceagent.service", "provisioning-endpoint.service" })
        {
            Assert.True(File.Exists(root.At($"/var/lib/systemd/deb-systemd-helper-enabled/{unit}.dsh-also")), $"{unit} is not registered with deb-systemd-helper");
            Assert.False(File.Exists(root.At($"/etc/systemd/system/multi-user.target.wants/{unit}")), $"{unit} was enabled at installation");
        }
    }

    [Fact]
    public async Task The_installed_native_agent_runs_and_stops_on_the_sample_configuration_until_idScope_is_set()
    {
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.Agent);
        var version = await ExternalProcess.RunAsync(root.At("/usr/bin/deviceagent"), ["--version"]);
        Assert.True(version.ExitCode == 0, version.Transcript);
        Assert.StartsWith(packages.Agent.Fields["Version"], version.StandardOutput.Trim(), StringComparison.Ordinal);

        // The identity section is checked first and passes: the sample matches the agent's schema.
        var run = await ExternalProcess.RunAsync(root.At("/usr/bin/deviceagent"), ["run", "--config", root.At("/etc/deviceagent/agent.json")]);
        Assert.True(run.ExitCode == 2, run.Transcript);
        Assert.Contains("provisioning.idScope is not set", run.StandardError, StringComparison.Ordinal);

        if (PackageBuild.HasFactory)
        {
            var bringup = await ExternalProcess.RunAsync(root.At("/usr/bin/bringup"), ["--help"]);
            Assert.True(bringup.ExitCode == 0, bringup.Transcript);
        }
    }

    [Fact]
    public async Task The_installed_endpoint_initialises_its_data_directory_serves_and_stops_on_SIGTERM()
    {
        using var root = new ScratchRoot();
        await root.InstallAsync(packages.Endpoint);
        var launcher = root.At("/usr/bin/provisioning-endpoint");
        var data = root.At("/var/lib/provisioning-endpoint");
        var (device, deviceHttps, rest, hub) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        using var serve = System.Diagnostics.Process.Start(ExternalProcess.StartInfo(launcher,
            ["serve", "--data-dir", data, "--device-port", $"{device}", "--device-https-port", $"{deviceHttps}", "--rest-port", $"{rest}", "--hub", $"hub1=localhost:{hub}"]))!;
        var log = new System.Text.StringBuilder();
        serve.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        serve.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            // The SQLite store (native library from runtimes/linux-*) opens before the listeners start.
            await FreePort.WaitUntilListeningAsync(device, TimeSpan.FromSeconds(60), () => { lock (log) return log.ToString(); });
            var info = await ExternalProcess.RunAsync(launcher, ["info", "--data-dir", data, "--json"]);
            Assert.True(info.ExitCode == 0, info.Transcript);
            Assert.StartsWith("0ne", System.Text.Json.JsonDocument.Parse(info.StandardOutput).RootElement.GetProperty("idScope").GetString(), StringComparison.Ordinal);
            Signals.Send(serve, Signals.SIGTERM);
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await serve.WaitForExitAsync(stopped.Token);
            Assert.Equal(0, serve.ExitCode);
        }
        finally
        {
            if (!serve.HasExited)
                serve.Kill(entireProcessTree: true);
        }
    }
}
