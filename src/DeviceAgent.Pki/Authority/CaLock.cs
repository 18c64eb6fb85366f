using System.Diagnostics;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Exclusive use of one CA by one process: an advisory lock (flock(2), which .NET takes for
/// <see cref="FileShare.None"/> on Linux) on the CA directory's <c>.lock</c> file, held while the
/// CA is open. A second process waits up to a timeout, then is told who to wait for. The lock
/// dies with its process, so a crash never leaves a CA locked.
/// </summary>
internal sealed class CaLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private CaLock(FileStream stream) => _stream = stream;

    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.Busy"/> after <paramref name="timeout"/>.</exception>
    public static CaLock Acquire(string caDirectory, string name, TimeSpan timeout)
    {
        var path = Path.Combine(caDirectory, FileName);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.None,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                return new CaLock(stream);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (clock.Elapsed >= timeout)
                {
                    throw new CertificateAuthorityException(CertificateAuthorityError.Busy,
                        $"CA '{name}' is in use by another process (lock {path}); wait for it to finish and run this again", e);
                }
                Thread.Sleep(50);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
