using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Keys;

/// <summary>
/// The console's data-protection key ring (which signs its antiforgery tokens and notice cookies)
/// kept in a shared store (<see cref="ISharedSettings"/>), so that a form served by one endpoint
/// instance is accepted by any other behind the same balancer. Data protection writes each key and
/// each revocation as a new element under a unique friendly name and never rewrites one, which is
/// what <see cref="ISharedSettings"/> offers: the first value stored under a name stays. An instance
/// that meets a key made by another refreshes its ring (ASP.NET Core's key-not-found refresh).
/// Synchronous, as <see cref="IXmlRepository"/> is: the ring is read at start and on refresh only.
/// </summary>
internal sealed class SharedKeyRepository(ISharedSettings settings) : IXmlRepository
{
    private const string Prefix = "console-key:";

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements() =>
        settings.ListAsync(Prefix).GetAwaiter().GetResult().Select(entry => XElement.Parse(entry.Value)).ToList();

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        // A name already taken (another instance's element of the same name) keeps its value: names
        // are key ids and revocation dates, so the same name means the same element.
        settings.AdoptAsync(Prefix + friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
    }
}
