using DeviceAgent.Pki.Authority;

namespace DeviceAgent.Pki.Tests.Support;

/// <summary>
/// One store for a test class: root (pathLen 1) -> line (pathLen 0), the line CA opened once
/// (opening decrypts its key, which is deliberately slow). Tests that issue from it share its
/// log and serial state, so each uses its own registration ids.
/// </summary>
public sealed class SharedHierarchy : IDisposable
{
    public SharedHierarchy()
    {
        Store = new TestStore();
        Store.CreateRoot(pathLength: 1).Dispose();
        Store.CreateIntermediate("line", "root").Dispose();
        Line = Store.Open("line");
    }

    internal TestStore Store { get; }

    internal CertificateAuthority Line { get; }

    public void Dispose()
    {
        Line.Dispose();
        Store.Dispose();
    }
}

/// <summary>The test classes that issue from the shared line CA: one hierarchy (and one slow key decryption) for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class SharedHierarchyGroup : ICollectionFixture<SharedHierarchy>
{
    public const string Name = "one CA store, root -> line";
}
