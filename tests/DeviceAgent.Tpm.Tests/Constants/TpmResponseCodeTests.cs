using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Tests.Constants;

public sealed class TpmResponseCodeTests
{
    [Theory]
    [InlineData(0x98Eu, TpmRc.AuthFail, 0, 1, 0, "TPM_RC_AUTH_FAIL (0x98E) on session 1")]
    [InlineData(0x9A2u, TpmRc.BadAuth, 0, 1, 0, "TPM_RC_BAD_AUTH (0x9A2) on session 1")]
    [InlineData(0x18Bu, TpmRc.Handle, 1, 0, 0, "TPM_RC_HANDLE (0x18B) on handle 1")]
    [InlineData(0x28Bu, TpmRc.Handle, 2, 0, 0, "TPM_RC_HANDLE (0x28B) on handle 2")]
    [InlineData(0x1C4u, TpmRc.Value, 0, 0, 1, "TPM_RC_VALUE (0x1C4) on parameter 1")]
    [InlineData(0x2D5u, TpmRc.Size, 0, 0, 2, "TPM_RC_SIZE (0x2D5) on parameter 2")]
    [InlineData(0xAC4u, TpmRc.Value, 0, 0, 10, "TPM_RC_VALUE (0xAC4) on parameter 10")]
    [InlineData(0x0C2u, TpmRc.Attributes, 0, 0, 0, "TPM_RC_ATTRIBUTES (0x0C2)")]
    [InlineData(0x082u, TpmRc.Attributes, 0, 0, 0, "TPM_RC_ATTRIBUTES (0x082)")]
    [InlineData(0x100u, TpmRc.Initialize, 0, 0, 0, "TPM_RC_INITIALIZE (0x100)")]
    [InlineData(0x14Cu, TpmRc.NvDefined, 0, 0, 0, "TPM_RC_NV_DEFINED (0x14C)")]
    [InlineData(0x921u, TpmRc.Lockout, 0, 0, 0, "TPM_RC_LOCKOUT (0x921)")]
    [InlineData(0x902u, TpmRc.ObjectMemory, 0, 0, 0, "TPM_RC_OBJECT_MEMORY (0x902)")]
    [InlineData(0x922u, TpmRc.Retry, 0, 0, 0, "TPM_RC_RETRY (0x922)")]
    [InlineData(0x0A0u, TpmRc.Ticket, 0, 0, 0, "TPM_RC_TICKET (0x0A0)")]
    public void Decodes_code_and_subject(uint raw, TpmRc code, int handle, int session, int parameter, string text)
    {
        var decoded = new TpmResponseCode(raw);
        Assert.Equal(code, decoded.Code);
        Assert.Equal(handle, decoded.Handle);
        Assert.Equal(session, decoded.Session);
        Assert.Equal(parameter, decoded.Parameter);
        Assert.Equal(text, decoded.ToString());
    }

    [Theory]
    [InlineData(0x922u, true)]
    [InlineData(0x908u, true)]
    [InlineData(0x921u, true)]
    [InlineData(0x98Eu, false)]
    [InlineData(0x100u, false)]
    public void Warnings_are_format_zero_with_the_severity_bit(uint raw, bool warning) =>
        Assert.Equal(warning, new TpmResponseCode(raw).IsWarning);

    [Theory]
    [InlineData(0x001Eu, "TPM 1.2 code 0x1E")]
    [InlineData(0x0501u, "vendor code 0x501")]
    [InlineData(0x017Fu, "TPM_RC 0x17F")]
    public void Codes_outside_the_table_are_named_by_value(uint raw, string name) =>
        Assert.Equal(name, new TpmResponseCode(raw).Name);

    [Fact]
    public void Lockout_is_explained()
    {
        var error = new TpmResponseException(TpmCc.Sign, new TpmResponseCode(0x921));
        Assert.Contains("TPM2_Sign failed: TPM_RC_LOCKOUT", error.Message, StringComparison.Ordinal);
        Assert.Contains("dictionary-attack lockout", error.Message, StringComparison.Ordinal);
    }
}
