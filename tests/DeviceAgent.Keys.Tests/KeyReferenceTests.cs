
namespace DeviceAgent.Keys.Tests;

public sealed class KeyReferenceTests
{
    [Fact]
    public void A_pkcs11_reference_takes_module_and_pin_source_from_the_uri_when_not_given()
    {
        var key = KeyReference.Parse("pkcs11:token=device;object=k?module-path=/usr/lib/m.so&pin-source=file:/etc/pin");
        Assert.Equal("pkcs11", key.Scheme);
        Assert.Equal("/usr/lib/m.so", key.ModulePath);
        Assert.Equal("PIN file '/etc/pin'", key.Pin!.Description);
    }

    [Fact]
    public void Given_module_and_pin_override_the_uri()
    {
        var key = KeyReference.Parse("pkcs11:token=device;object=k?module-path=/a.so", "/b.so", PinSource.FromFile("/p"));
        Assert.Equal("/b.so", key.ModulePath);
        Assert.Equal("PIN file '/p'", key.Pin!.Description);
    }

    [Theory]
    [InlineData("pkcs11:object=k", "names no token")]
    [InlineData("pkcs11:token=t", "names no key")]
    [InlineData("pkcs11:token=t;object=k;type=cert", "a key reference names the private key")]
    [InlineData("hsm:key", "neither a PKCS#11 URI")]
    [InlineData("tpm:key", "is not tpm:handle=0x81XXXXXX")]
    [InlineData("tpm:handle=0x01000101", "is not tpm:handle=0x81XXXXXX")]
    [InlineData("file:", "names no file")]
    // Found by tests/DeviceAgent.Fuzz (pkcs11-uri): Path.GetFullPath's ArgumentException escaped.
    [InlineData("file:/v\0\0\0ar/lib/deviceagent/key.pem", "names a path with a NUL character")]
    [InlineData("file:/etc/k%00.pem", "names a path with a NUL character")]
    [InlineData("pkcs11:token=t;object=k?pin-source=file:/etc/p%00in", "names a path with a NUL character")]
    public void Incomplete_references_are_refused_with_the_fix(string text, string reason)
    {
        var e = Assert.Throws<KeyCustodyException>(() => KeyReference.Parse(text));
        Assert.Equal(KeyCustodyError.InvalidKeyReference, e.Error);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:/etc/k.pem", "/etc/k.pem")]
    [InlineData("file:///etc/k.pem", "/etc/k.pem")]
    public void File_references_accept_both_forms(string text, string path)
    {
        Assert.Equal(path, KeyReference.Parse(text).FilePath);
    }

    [Fact]
    public void Software_keys_are_refused_unless_allowed()
    {
        var key = KeyReference.Parse("file:/tmp/k.pem");
        var e = Assert.Throws<KeyCustodyException>(() => new KeyBackends().For(key));
        Assert.Equal(KeyCustodyError.SoftwareKeyRefused, e.Error);
        Assert.Contains("can be copied off the device", e.Message, StringComparison.Ordinal);
        Assert.Equal("file", new KeyBackends(new KeyBackendOptions(AllowSoftwareKeys: true)).For(key).Scheme);
    }
}
