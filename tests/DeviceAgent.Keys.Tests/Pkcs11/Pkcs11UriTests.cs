using DeviceAgent.Keys.Pkcs11;

namespace DeviceAgent.Keys.Tests.Pkcs11;

public sealed class Pkcs11UriTests
{
    [Fact]
    public void Parses_token_object_type_and_percent_encoded_id()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=device;object=device%20key;type=private;id=%01%02%ff");
        Assert.Equal("device", uri.Token);
        Assert.Equal("device key", uri.ObjectLabel);
        Assert.Equal(Pkcs11ObjectType.Private, uri.Type);
        Assert.Equal(new byte[] { 1, 2, 0xFF }, uri.Id!.Value.ToArray());
    }

    // RFC 7512 section 3 examples (those without pin-value).
    [Theory]
    [InlineData("pkcs11:")]
    [InlineData("pkcs11:object=my-pubkey;type=public")]
    [InlineData("pkcs11:object=my-key;type=private?pin-source=file:/etc/token")]
    [InlineData("pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=")]
    [InlineData("pkcs11:token=Software%20PKCS%2311%20softtoken;manufacturer=Snake%20Oil,%20Inc.?pin-source=file:/etc/token_pin")]
    [InlineData("pkcs11:slot-description=Sun%20Metaslot")]
    [InlineData("pkcs11:library-manufacturer=Snake%20Oil,%20Inc.;library-description=Soft%20Token%20Library;library-version=1.23")]
    [InlineData("pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;object=my-certificate;type=cert")]
    [InlineData("pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;object=my-certificate;type=cert")]
    [InlineData("pkcs11:token=my-token;object=my-certificate;type=cert;vendor-aaa=value-a?pin-source=file:/etc/token_pin&vendor-bbb=value-b")]
    public void Accepts_the_examples_of_RFC_7512(string text)
    {
        if (text.Contains("vendor-aaa", StringComparison.Ordinal))
        {
            // A vendor-specific path attribute cannot be matched: refused, named.
            var e = Assert.Throws<KeyCustodyException>(() => Pkcs11Uri.Parse(text));
            Assert.Contains("'vendor-aaa' is a vendor-specific attribute this agent cannot match on", e.Message, StringComparison.Ordinal);
            return;
        }
        var uri = Pkcs11Uri.Parse(text);
        Assert.Equal(uri, Pkcs11Uri.Parse(uri.ToString()));
    }

    [Fact]
    public void Decodes_utf8_and_reserved_characters()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;object=%C3%A1");
        Assert.Equal("A name with a substring %;", uri.Token);
        Assert.Equal("á", uri.ObjectLabel);
    }

    [Fact]
    public void Round_trips_through_the_canonical_form()
    {
        var uri = Pkcs11Uri.ForPrivateKey("my token;1", "key/é", [0xAB, 0x00]);
        var text = uri.ToString();
        Assert.Equal("pkcs11:token=my%20token%3B1;object=key%2F%C3%A9;type=private;id=%AB%00", text);
        Assert.Equal(uri, Pkcs11Uri.Parse(text));
    }

    [Fact]
    public void Vendor_query_attributes_are_ignored()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=t;object=k?vendor-bbb=value-b");
        Assert.Equal("pkcs11:token=t;object=k", uri.ToString());
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData(" \t", "it is empty")]
    [InlineData("pkcs11", "it must start with 'pkcs11:'")]
    [InlineData("pkcs12:token=x", "it must start with 'pkcs11:'")]
    [InlineData("pkcs11:token=a;token=b", "'token' appears more than once")]
    [InlineData("pkcs11:token=a;;object=b", "empty attribute")]
    [InlineData("pkcs11:token", "not of the form name=value")]
    [InlineData("pkcs11:colour=red", "'colour' is a vendor-specific attribute this agent cannot match on")]
    [InlineData("pkcs11:col.our=red", "'col.our' is not a valid attribute name")]
    [InlineData("pkcs11:pin-source=/x", "'pin-source' belongs in the query (after '?')")]
    [InlineData("pkcs11:token=a?object=b", "'object' belongs in the path (before '?')")]
    [InlineData("pkcs11:type=secret", "type 'secret' is not one of public, private, cert, secret-key, data")]
    [InlineData("pkcs11:slot-id=0x1", "slot-id '0x1' is not a decimal number")]
    [InlineData("pkcs11:token=a%2", "'%' not followed by two hex digits")]
    [InlineData("pkcs11:token=a%zz", "'%' not followed by two hex digits")]
    [InlineData("pkcs11:token=a b", "contains ' ', which must be percent-encoded")]
    [InlineData("pkcs11:token=%ff%fe", "not valid UTF-8")]
    [InlineData("pkcs11:token=a?pin-value=1234", "a PIN must not be written into a URI")]
    public void Refuses_malformed_uris_with_the_rule_broken(string text, string reason)
    {
        var e = Assert.Throws<KeyCustodyException>(() => Pkcs11Uri.Parse(text));
        Assert.Equal(KeyCustodyError.InvalidKeyReference, e.Error);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pin_value_is_never_echoed_in_the_error()
    {
        var e = Assert.Throws<KeyCustodyException>(() => Pkcs11Uri.Parse("pkcs11:token=a?pin-value=s3cret-1234&module-path=/m.so"));
        Assert.DoesNotContain("s3cret-1234", e.Message, StringComparison.Ordinal);
        Assert.Contains("pin-value=***", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_query_drops_module_path_and_pin_source()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=t;object=k?module-path=/usr/lib/m.so&pin-source=/etc/pin");
        Assert.Equal("/usr/lib/m.so", uri.ModulePath);
        Assert.Equal("/etc/pin", uri.PinSource);
        Assert.Equal("pkcs11:token=t;object=k", uri.WithoutQuery().ToString());
    }
}
