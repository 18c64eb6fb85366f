using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Console;

/// <summary>
/// The operator console in a real browser (headless Chromium): sign-in, a CA verified end to end,
/// a group created, disabled and its takeover warning, a device's registration record found, the
/// hub registry and the live telemetry tail; CSRF refusal; keyboard use and labelled fields. Each
/// page visited is saved under artifacts/console-screenshots/ and checked not to be blank.
/// </summary>
[Trait("Tier", "Browser")]
public sealed class ConsoleBrowserTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task Sign_in_refuses_a_wrong_password_and_sets_a_secure_session_cookie()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync(console.BaseUrl + "/console/registrations");
        Assert.StartsWith(console.BaseUrl + "/console/sign-in?returnUrl=", page.Url, StringComparison.Ordinal);
        await ScreenshotAsync(page, "sign-in");

        await page.GetByLabel("Operator name").FillAsync(ConsoleBrowser.OperatorName);
        await page.GetByLabel("Password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("the operator name or the password is wrong");
        Assert.Equal("", await page.GetByLabel("Password").InputValueAsync()); // never echoed back
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "__Host-console-session");

        await page.GetByLabel("Password").FillAsync(ConsoleBrowser.OperatorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(console.BaseUrl + "/console/registrations");
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "__Host-console-session");
        Assert.True(session.HttpOnly && session.Secure && session.SameSite == SameSiteAttribute.Strict && session.Path == "/",
            $"session cookie: HttpOnly={session.HttpOnly} Secure={session.Secure} SameSite={session.SameSite} Path={session.Path}");
        var csrf = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "__Host-console-csrf");
        Assert.True(csrf.HttpOnly && csrf.Secure && csrf.SameSite == SameSiteAttribute.Strict);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(console.BaseUrl + "/console/sign-in");
        await page.GotoAsync(console.BaseUrl + "/console");
        Assert.StartsWith(console.BaseUrl + "/console/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_json_prints_the_console_url_where_the_sign_in_page_is_served()
    {
        var info = await ExternalProcess.RunAsync("dotnet", [BuiltPrograms.ProvisioningEndpoint, "info", "--data-dir", console.Endpoint.Data.Path, "--json"]);
        Assert.True(info.ExitCode == 0, info.Transcript);
        var url = System.Text.Json.JsonDocument.Parse(info.StandardOutput).RootElement.GetProperty("consoleUrl").GetString();
        Assert.Equal(console.BaseUrl + "/console", url);

        var page = await console.NewPageAsync();
        await page.GotoAsync(url!);
        Assert.StartsWith(console.BaseUrl + "/console/sign-in", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByLabel("Operator name")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_console_is_used_with_the_keyboard_alone()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync(console.BaseUrl + "/console/sign-in");
        // The name field has the focus (autofocus: waited for, so no keystroke goes before it lands);
        // Tab moves to the password; Enter submits.
        await Assertions.Expect(page.GetByLabel("Operator name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConsoleBrowser.OperatorName);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConsoleBrowser.OperatorPassword);
        await Assertions.Expect(page.GetByLabel("Operator name")).ToHaveValueAsync(ConsoleBrowser.OperatorName);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(console.BaseUrl + "/console");

        // From the top: the skip link first, then the navigation, in order; Enter follows a link.
        await page.EvaluateAsync("() => document.activeElement && document.activeElement.blur()");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await FocusedTextAsync(page));
        var reached = new List<string>();
        for (var i = 0; i < 8 && !reached.Contains("Registration records"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await FocusedTextAsync(page));
        }
        Assert.Equal(["Overview", "CA certificates", "Enrollment groups", "Individual enrollments", "Registration records"], reached);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(console.BaseUrl + "/console/registrations");
        // The search field is reached by Tab and submits with Enter.
        await page.GetByLabel("Registration id (or part of it)").FocusAsync();
        await page.Keyboard.TypeAsync("nobody-has-this-id");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("q=nobody-has-this-id"));
    }

    [Fact]
    public async Task A_CA_certificate_is_verified_end_to_end_and_a_wrong_proof_is_refused()
    {
        using var root = TestCa.CreateRoot("Console Verify Root");
        using var impostor = TestCa.CreateRoot("Console Impostor");
        var page = await console.SignedInPageAsync();
        await page.GotoAsync(console.BaseUrl + "/console");
        await ScreenshotAsync(page, "overview");
        await page.GotoAsync(console.BaseUrl + "/console/certificates");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("console-root");
        await page.GetByLabel("Certificate (PEM)").FillAsync(root.Certificate.ExportCertificatePem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await page.WaitForURLAsync(console.BaseUrl + "/console/certificates/console-root");
        await Assertions.Expect(page.Locator("#certificate-status")).ToHaveTextAsync("Unverified");
        await Assertions.Expect(page.GetByText(root.Certificate.Thumbprint)).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate verification code" }).ClickAsync();
        var code = (await page.Locator("#verification-code").TextContentAsync())!.Trim();
        Assert.Matches("^[0-9A-F]{48}$", code);
        await ScreenshotAsync(page, "certificate-details");

        // A verification certificate signed with another key: refused, the CA stays unverified.
        using (var wrong = root.SignVerificationCertificate(code, impostor.Key))
        {
            await page.GetByLabel("Verification certificate (PEM)").FillAsync(wrong.ExportCertificatePem());
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("proof of possession for certificate 'console-root' failed");
            await Assertions.Expect(page.Locator("#certificate-status")).ToHaveTextAsync("Unverified");
        }

        using var verification = root.SignVerificationCertificate(code);
        await page.GetByLabel("Verification certificate (PEM)").FillAsync(verification.ExportCertificatePem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator("#certificate-status")).ToHaveTextAsync("Verified");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is verified");
        Assert.True((await console.Endpoint.Store.GetCertificateAsync("console-root"))!.IsVerified);

        await page.GotoAsync(console.BaseUrl + "/console/certificates");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "console-root" })).ToContainTextAsync("Verified");
        await ScreenshotAsync(page, "certificates");
    }

    [Fact]
    public async Task A_group_is_created_from_a_certificate_and_disabling_it_names_the_group_that_would_take_over()
    {
        using var root = TestCa.CreateRoot("Console Group Root");
        using var line = root.IssueIntermediate("Console Line CA");
        await console.Endpoint.Store.UploadCaAsync("group-root", root.Certificate, verified: true);
        await console.Endpoint.Store.PutGroupAsync("factory-wide", root.Certificate);

        var page = await console.SignedInPageAsync();
        await page.GotoAsync(console.BaseUrl + "/console/groups");
        await page.GetByLabel("Group id").FillAsync("line-a");
        await page.GetByLabel("Or a signing certificate (PEM): an intermediate that rolls up to a verified CA").FillAsync(line.Certificate.ExportCertificatePem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await page.WaitForURLAsync(console.BaseUrl + "/console/groups/line-a");
        await Assertions.Expect(page.Locator("#entry-status")).ToHaveTextAsync("Enabled");

        await page.GetByRole(AriaRole.Button, new() { Name = "Disable group" }).ClickAsync();
        await Assertions.Expect(page.Locator("#entry-status")).ToHaveTextAsync("Disabled");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("enrollment group 'factory-wide', which is enabled");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("keep it disabled instead");
        await Assertions.Expect(page.Locator("#delete-warning")).ToContainTextAsync("lets its devices enroll again through enrollment group 'factory-wide'");
        Assert.Equal(ProvisioningStatus.Disabled, (await console.Endpoint.Store.GetEnrollmentGroupAsync("line-a"))!.Status);
        await ScreenshotAsync(page, "group-details");

        // Deleting without the confirmation is refused with the same warning; the group stays.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete group line-a" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not deleted");
        Assert.NotNull(await console.Endpoint.Store.GetEnrollmentGroupAsync("line-a"));

        // A group for an unverified certificate is refused with the domain's reason.
        using var stranger = TestCa.CreateRoot("Console Stranger");
        await page.GotoAsync(console.BaseUrl + "/console/groups");
        await page.GetByLabel("Group id").FillAsync("stranger");
        await page.GetByLabel("Or a signing certificate (PEM): an intermediate that rolls up to a verified CA").FillAsync(stranger.Certificate.ExportCertificatePem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not verified");
        await ScreenshotAsync(page, "groups");
    }

    [Fact]
    public async Task A_device_registration_record_is_found_and_its_hub_device_and_telemetry_are_shown()
    {
        using var root = TestCa.CreateRoot("Console Device Root");
        using var device = root.IssueDevice("console-device-7");
        await console.Endpoint.Store.UploadCaAsync("device-root", root.Certificate, verified: true);
        await console.Endpoint.Store.PutGroupAsync("device-group", root.Certificate);
        var assignment = await console.Endpoint.AssertAssignedAsync(device);

        var page = await console.SignedInPageAsync();
        await page.GotoAsync(console.BaseUrl + "/console/registrations");
        await page.GetByLabel("Registration id (or part of it)").FillAsync("console-device-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row, new() { Name = "console-device-7" });
        await Assertions.Expect(row).ToContainTextAsync("assigned");
        await Assertions.Expect(row).ToContainTextAsync("hub1");
        await Assertions.Expect(row).ToContainTextAsync("group device-group");
        await ScreenshotAsync(page, "registrations");

        await page.GotoAsync(console.BaseUrl + "/console/groups/device-group");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "console-device-7" })).ToContainTextAsync("hub1");

        await console.Endpoint.Store.AddTelemetryAsync(new TelemetryMessage("hub1", assignment.DeviceId!, DateTimeOffset.UtcNow, "kind=reading",
            Encoding.UTF8.GetBytes("{\"temperature\":21.5}")), 100);
        await page.GotoAsync(console.BaseUrl + $"/console/hubs/hub1/devices/{assignment.DeviceId}/telemetry");
        await Assertions.Expect(page.Locator("#tail-rows")).ToContainTextAsync("\"temperature\":21.5");
        await Assertions.Expect(page.Locator("#tail-state")).ToContainTextAsync("Live");
        // The live tail: a message that arrives after the page loaded appears without a reload.
        await console.Endpoint.Store.AddTelemetryAsync(new TelemetryMessage("hub1", assignment.DeviceId!, DateTimeOffset.UtcNow.AddSeconds(1), "kind=reading",
            Encoding.UTF8.GetBytes("{\"temperature\":<b>22</b>}")), 100);
        await Assertions.Expect(page.Locator("#tail-rows")).ToContainTextAsync("{\"temperature\":<b>22</b>}", new() { Timeout = 10_000 });
        Assert.Equal(0, await page.Locator("#tail-rows b").CountAsync()); // text, never markup
        await ScreenshotAsync(page, "telemetry");

        await page.GotoAsync(console.BaseUrl + "/console/hubs/hub1");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Disable device {assignment.DeviceId}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = assignment.DeviceId })).ToContainTextAsync("Disabled");
        Assert.Equal(HubDeviceStatus.Disabled, (await console.Endpoint.Store.GetHubDeviceAsync("hub1", assignment.DeviceId!))!.Status);
        await ScreenshotAsync(page, "hub-devices");
        await page.GotoAsync(console.BaseUrl + "/console/hubs");
        await ScreenshotAsync(page, "hubs");
        await page.GotoAsync(console.BaseUrl + "/console/enrollments");
        await ScreenshotAsync(page, "enrollments");
    }

    [Fact]
    public async Task An_individual_enrollment_is_created_disabled_and_warned_about_without_javascript()
    {
        using var root = TestCa.CreateRoot("Console NoScript Root");
        using var device = root.IssueDevice("console-noscript-1");
        await console.Endpoint.Store.UploadCaAsync("noscript-root", root.Certificate, verified: true);
        await console.Endpoint.Store.PutGroupAsync("noscript-group", root.Certificate);
        var page = await console.SignedInPageAsync(javaScript: false);
        await page.GotoAsync(console.BaseUrl + "/console/enrollments");
        await page.GetByLabel("Device certificate (PEM)").FillAsync(device.Leaf.ExportCertificatePem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Create enrollment" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("created individual enrollment 'console-noscript-1' (enabled)");
        await page.GetByRole(AriaRole.Link, new() { Name = "console-noscript-1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable enrollment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#entry-status")).ToHaveTextAsync("Disabled");
        await Assertions.Expect(page.Locator("#delete-warning")).ToContainTextAsync("lets device 'console-noscript-1' enroll again through enrollment group 'noscript-group'");
        await ScreenshotAsync(page, "enrollment-details");
        // Disabled, the device is refused although its group admits it.
        await console.Endpoint.AssertRefusedAsync(device);
    }

    [Fact]
    public async Task A_change_without_the_antiforgery_token_is_refused()
    {
        using var root = TestCa.CreateRoot("Console Csrf Root");
        await console.Endpoint.Store.UploadCaAsync("csrf-root", root.Certificate, verified: true);
        await console.Endpoint.Store.PutGroupAsync("csrf-group", root.Certificate);
        var page = await console.SignedInPageAsync();
        // The session cookie goes along (same browser context); the form's token does not.
        var response = await page.Context.APIRequest.PostAsync(console.BaseUrl + "/console/groups/csrf-group?handler=Disable",
            new() { Form = page.Context.APIRequest.CreateFormData(), MaxRedirects = 0 });
        Assert.Equal(400, response.Status);
        Assert.Equal(ProvisioningStatus.Enabled, (await console.Endpoint.Store.GetEnrollmentGroupAsync("csrf-group"))!.Status);

        // The console is served on the REST port only: the device HTTPS port does not know it.
        var other = await page.Context.APIRequest.GetAsync($"https://localhost:{console.Endpoint.Configuration.DeviceHttpsPort}/console/sign-in",
            new() { MaxRedirects = 0 });
        Assert.Equal(404, other.Status);
    }

    private static async Task<string> FocusedTextAsync(IPage page) =>
        (await page.EvaluateAsync<string>("() => document.activeElement ? (document.activeElement.textContent || '').trim() : ''"));

    /// <summary>Saves the page under artifacts/console-screenshots/ and checks it is not blank and every field has a label.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, name + ".png");
        var png = await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        var colors = PngImage.DistinctColors(png);
        Assert.True(colors >= 16, $"screenshot {path} has {colors} distinct colours: blank?");
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]" +
            ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name || e.id)");
        Assert.True(unlabelled.Length == 0, $"page {page.Url} has fields without a label: {string.Join(", ", unlabelled)}");
    }
}
