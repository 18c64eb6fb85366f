using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;

namespace DeviceAgent.Doctor.Checks;

/// <summary>The PKCS#11 module exists, loads and initialises (C_Initialize reaches the TPM/HSM).</summary>
internal sealed class ModuleLoadsCheck : IDoctorCheck
{
    public string Id => "pkcs11-module";

    public string Title => "PKCS#11 module loads";

    public Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.IsTokenKey)
            return this.Skipped(context.NoTokenReason).AsTask();
        var path = context.Settings.Key.ModulePath;
        if (path is null)
            return this.Failed("no module is configured: set identity.module or pass --module").AsTask();
        try
        {
            context.Module = Pkcs11Module.Load(path);
            var info = context.Module.Info;
            return this.Ok($"{info.Manufacturer} {info.Description} {info.Version} (Cryptoki {info.CryptokiVersion}) from {context.Module.Path}").AsTask();
        }
        catch (KeyCustodyException e)
        {
            return this.Failed(e.Message).AsTask();
        }
    }
}
