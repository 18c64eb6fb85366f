using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Keys.Tests.Tokens;

[Collection(TokenPeers.Name)]
public sealed class BadInputTests(TokenSimulators tokens) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keys-bad-input.");
    private readonly Pkcs11KeyBackend _backend = new();

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public void Wrong_pin_is_CKR_PIN_INCORRECT_with_a_hint(TokenKind kind)
    {
        var simulator = tokens.Get(kind);
        var wrongPin = Path.Combine(_dir.FullName, "wrong.pin");
        File.WriteAllText(wrongPin, "not-the-pin\n");
        var key = KeyReference.Parse($"pkcs11:token={simulator.TokenLabel};object=any", simulator.ModulePath, PinSource.FromFile(wrongPin));
        // Login state belongs to the process (PKCS#11 v2.40 section 5.6): while other tests keep the
        // token logged in, C_Login answers CKR_USER_ALREADY_LOGGED_IN without looking at the PIN.
        LogOut(simulator);

        var e = Assert.Throws<Pkcs11Exception>(() => _backend.GetPublicKey(key));

        Assert.Equal(KeyCustodyError.PinRejected, e.Error);
        Assert.Equal("C_Login", e.Function);
        Assert.Equal("CKR_PIN_INCORRECT", e.ReturnValueName);
        Assert.Contains("the PIN is wrong", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-pin", e.Message, StringComparison.Ordinal);
    }

    private static void LogOut(TokenSimulator simulator)
    {
        var slot = Pkcs11Module.Load(simulator.ModulePath).FindSlot(Pkcs11Uri.Parse($"pkcs11:token={simulator.TokenLabel}"));
        using var session = slot.OpenSession();
        session.Logout();
    }

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public void Missing_token_names_the_tokens_that_are_present(TokenKind kind)
    {
        var simulator = tokens.Get(kind);
        var key = KeyReference.Parse("pkcs11:token=no-such-token;object=k", simulator.ModulePath, PinSource.FromFile(simulator.PinFile));

        var e = Assert.Throws<KeyCustodyException>(() => _backend.GetPublicKey(key));

        Assert.Equal(KeyCustodyError.TokenNotFound, e.Error);
        Assert.Contains("no token matches token='no-such-token'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{simulator.TokenLabel}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public void Missing_key_says_how_to_list_the_token(TokenKind kind)
    {
        var simulator = tokens.Get(kind);
        var key = KeyReference.Parse($"pkcs11:token={simulator.TokenLabel};object=no-such-key", simulator.ModulePath, PinSource.FromFile(simulator.PinFile));

        var e = Assert.Throws<KeyCustodyException>(() => _backend.GetPublicKey(key));

        Assert.Equal(KeyCustodyError.KeyNotFound, e.Error);
        Assert.Contains("no object with label 'no-such-key', type private", e.Message, StringComparison.Ordinal);
        Assert.Contains("pkcs11-tool", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_module_says_what_to_install()
    {
        var key = KeyReference.Parse("pkcs11:token=t;object=k", "/nonexistent/libtpm2_pkcs11.so", PinSource.FromFile("/dev/null"));

        var e = Assert.Throws<KeyCustodyException>(() => _backend.GetPublicKey(key));

        Assert.Equal(KeyCustodyError.ModuleNotFound, e.Error);
        Assert.Contains("'/nonexistent/libtpm2_pkcs11.so' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install libtpm2-pkcs11-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_that_is_not_a_pkcs11_module_is_named()
    {
        var libz = new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1" }.First(File.Exists);

        var e = Assert.Throws<KeyCustodyException>(() => Pkcs11Module.Load(libz));

        Assert.Equal(KeyCustodyError.ModuleNotLoadable, e.Error);
        Assert.Contains("is not a PKCS#11 module: it does not export C_GetFunctionList", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_library_is_named()
    {
        var path = Path.Combine(_dir.FullName, "not-a-library.so");
        File.WriteAllText(path, "hello");

        var e = Assert.Throws<KeyCustodyException>(() => Pkcs11Module.Load(path));

        Assert.Equal(KeyCustodyError.ModuleNotLoadable, e.Error);
        Assert.Contains("cannot be loaded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_pin_source_is_refused_before_touching_the_token()
    {
        var simulator = tokens.SoftHsm;
        var key = KeyReference.Parse($"pkcs11:token={simulator.TokenLabel};object=k", simulator.ModulePath);

        var e = Assert.Throws<KeyCustodyException>(() => _backend.GetPublicKey(key));

        Assert.Equal(KeyCustodyError.PinUnavailable, e.Error);
        Assert.Contains("configure a PIN file", e.Message, StringComparison.Ordinal);
    }
}
