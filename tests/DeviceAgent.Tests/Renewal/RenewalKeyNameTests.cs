using DeviceAgent.Keys;
using DeviceAgent.Renewal;

namespace DeviceAgent.Tests.Renewal;

public sealed class RenewalKeyNameTests
{
    [Theory]
    [InlineData("pkcs11:token=device;object=device-1", 2, "pkcs11:token=device;object=device-1.r2")]
    [InlineData("pkcs11:token=device;object=device-1.r2", 3, "pkcs11:token=device;object=device-1.r3")]
    [InlineData("pkcs11:token=device;object=device-1;id=%01%02", 2, "pkcs11:token=device;object=device-1.r2")]
    [InlineData("pkcs11:token=device;object=device-1?pin-source=file:/run/pin", 2, "pkcs11:token=device;object=device-1.r2?pin-source=file:/run/pin")]
    [InlineData("file:/var/lib/deviceagent/device.key", 2, "file:/var/lib/deviceagent/device.key.r2")]
    [InlineData("file:/var/lib/deviceagent/device.key.r4", 5, "file:/var/lib/deviceagent/device.key.r5")]
    [InlineData("tpm:handle=0x81000101", 2, "tpm:handle=0x81000201")]
    [InlineData("tpm:handle=0x81000101", 3, "tpm:handle=0x81000301")]
    [InlineData("tpm:handle=0x81000101", 4, "tpm:handle=0x81000201")]
    public void The_new_key_is_a_new_object_next_to_the_current_one(string current, int generation, string expected)
    {
        var reference = KeyReference.Parse(current, "/usr/lib/softhsm/libsofthsm2.so");

        var next = RenewalKeyName.Next(reference, generation);

        Assert.Equal(expected, next.Text);
        Assert.NotEqual(current, next.Text);
        Assert.Equal(reference.ModulePath, next.ModulePath);
    }

    [Fact]
    public void A_reference_without_a_label_is_refused()
    {
        var e = Assert.Throws<KeyCustodyException>(() => RenewalKeyName.Next(KeyReference.Parse("pkcs11:token=device;id=%01", "/m.so"), 2));

        Assert.Contains("names no label (object=)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_TPM_handle_whose_renewed_handles_leave_the_persistent_range_is_refused()
    {
        var e = Assert.Throws<KeyCustodyException>(() => RenewalKeyName.Next(KeyReference.Parse("tpm:handle=0x81FFFF01"), 3));

        Assert.Contains("end of the persistent handle range", e.Message, StringComparison.Ordinal);
    }
}
