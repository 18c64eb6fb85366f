using Microsoft.Playwright;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Cli;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Console;

/// <summary>
/// The console's browser tier, shared by one test class: the endpoint in this process (one hub),
/// an operator added through <c>provisioning-endpoint operator add</c>, and the system's headless
/// Chromium (Debian's package, /usr/bin/chromium) driven by Microsoft.Playwright's bundled driver,
/// so nothing is downloaded. Chromium missing fails the tests with how to install it.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string OperatorName = "lab-operator";
    public const string OperatorPassword = "correct horse battery staple";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private EndpointUnderTest? _endpoint;
    private string? _signedIn;

    internal EndpointUnderTest Endpoint => _endpoint!;

    public IBrowser Browser => _browser!;

    public string BaseUrl => $"https://localhost:{Endpoint.Configuration.RestPort}";

    public static string ScreenshotDirectory => Path.Combine(RepositoryPaths.Root, "artifacts", "console-screenshots");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"the console's browser tests need Chromium at {ChromiumPath}: apt-get install chromium (./build.sh deps installs it)");
        _endpoint = await EndpointUnderTest.StartAsync(hubs: 1);
        var passwordFile = Path.Combine(_endpoint.Data.Path, "operator.password");
        await File.WriteAllTextAsync(passwordFile, OperatorPassword + "\n");
        var exit = await EndpointCommandLine.RunAsync(["operator", "add", "--data-dir", _endpoint.Data.Path, "--name", OperatorName, "--password-file", passwordFile]);
        Assert.Equal(ExitCodes.Success, exit);
        File.Delete(passwordFile);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
        // One sign-in (an Argon2id verification) serves the tests that do not test signing in: its cookies are reused.
        var page = await NewPageAsync();
        await SignInAsync(page);
        _signedIn = await page.Context.StorageStateAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>A fresh browser context (its own cookies); the endpoint's test CA is not in Chromium's store, so certificate errors are ignored.</summary>
    public async Task<IPage> NewPageAsync(string? storageState = null, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            StorageState = storageState,
            JavaScriptEnabled = javaScript,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A page of the operator's shared session (never signed out).</summary>
    public Task<IPage> SignedInPageAsync(bool javaScript = true) => NewPageAsync(_signedIn, javaScript);

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(BaseUrl + "/console");
        await page.GetByLabel("Operator name").FillAsync(OperatorName);
        await page.GetByLabel("Password").FillAsync(OperatorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(BaseUrl + "/console");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_endpoint is not null)
            await _endpoint.DisposeAsync();
    }
}
