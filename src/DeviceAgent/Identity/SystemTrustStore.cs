using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Identity;

/// <summary>
/// Loads the operating system's trust store into the runtime's process-wide cache ahead of need.
/// On Linux .NET reads every certificate of /etc/ssl/certs (a few hundred files) at the first
/// chain build, and the agent always builds one before its first connection: the device's own TLS
/// context (<c>SslStreamCertificateContext.Create</c>), then the validation of a server against
/// the system store. Started first thing on a thread-pool thread, the load overlaps with reading the
/// configuration and the TPM logins instead of delaying the first connection. Failures are ignored:
/// the chain build that needs the store reports its own.
/// </summary>
internal static class SystemTrustStore
{
    /// <summary>Starts the load; returns at once.</summary>
    public static void PreloadInBackground() => _ = Task.Run(Preload, CancellationToken.None);

    private static void Preload()
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            // Opening is lazy; enumerating fills the cache (the copies handed out are released at once).
            foreach (var certificate in store.Certificates)
                certificate.Dispose();
        }
        catch (CryptographicException)
        {
            // No readable system store: whoever needs it fails with a specific error.
        }
    }
}
