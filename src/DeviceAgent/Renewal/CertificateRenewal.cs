using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Configuration;
using DeviceAgent.Hub;
using DeviceAgent.Identity;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Files;
using DeviceAgent.Pki.Requests;
using DeviceAgent.Provisioning;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.State;
using MQTTnet.Exceptions;

namespace DeviceAgent.Renewal;

/// <summary>
/// One renewal of the device's leaf with a fresh key (DPS certificate issuance). The order makes a
/// crash at any step harmless: the pending renewal is saved before the key exists; the new key is a
/// new object (<see cref="RenewalKeyName"/>; the old one stays); the token signs the CSR (CN = the
/// registration id); the hub issues over the current connection, or DPS in a re-registration with
/// the csr (no connection, or the hub refused, timed out or dropped it); the chain is checked (<see cref="IssuedChainCheck"/>) and stored, and the pending renewal
/// names it; the caller connects with the new identity and only then commits (the state names the
/// new credential; the old key is retired for <see cref="RenewalSettings.OldKeyGracePeriod"/>). Any
/// failure before the commit rolls back: the new key is destroyed, the old identity kept. Not
/// thread-safe: one renewal at a time per state directory.
/// </summary>
public sealed class CertificateRenewal(AgentConfiguration configuration, StateStore store, TimeProvider clock)
{
    /// <summary>How long the hub may take to answer issueCertificate.</summary>
    public TimeSpan IssueTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The DPS client's patience for a re-registration.</summary>
    public DpsClientOptions? Dps { get; init; }

    /// <summary>Raised after each step (logs, progress, and the crash harness).</summary>
    public event Action<RenewalStep>? StepReached;

    /// <summary>
    /// The steps up to <see cref="RenewalStep.ChainStored"/>: new key, CSR, issuance over
    /// <paramref name="hub"/> (or DPS when it is null), the check, the stored chain.
    /// </summary>
    /// <param name="current">The identity in use (DPS's TLS identity; its key backends make the new key).</param>
    /// <param name="state">The saved state.</param>
    /// <param name="hub">The current hub connection, or null to re-register with DPS. When the hub does not issue, DPS is asked (<see cref="RenewalCandidate.HubDeclined"/>).</param>
    /// <param name="cancellationToken">Cancels (the renewal is rolled back).</param>
    /// <exception cref="RenewalException">A step failed; rolled back, the old identity stays.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; rolled back.</exception>
    public async Task<RenewalCandidate> IssueAsync(DeviceIdentity current, AgentState state, HubSession? hub, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(state);
        var settings = CurrentCredential.Settings(configuration, state);
        var currentKey = settings.ToKeyReference();
        var generation = (state.Credential?.Generation ?? 1) + 1;
        var newKey = RenewalKeyName.Next(configuration.Identity.ToKeyReference(), generation);
        var backends = current.Backends;
        var backend = backends.For(newKey);
        if (backend is not IKeyGenerator generator)
            throw new RenewalException($"the key store of '{currentKey}' cannot create keys, so the device cannot renew with a fresh key; use a TPM or PKCS#11 key, or set renewal.enabled to false");
        // The new key's place must be free: a key there is the retired one (destroyed now) or not ours (refused).
        if (state.RetiredKey is { } retired && string.Equals(retired.Key, newKey.Text, StringComparison.Ordinal))
        {
            state = DestroyRetired(backends, state);
        }
        if (Exists(backend, newKey))
            throw new RenewalException($"'{newKey}' already holds a key this agent did not make; remove it (it is where the renewed key goes) or move identity.key");

        state = state with { PendingRenewal = new PendingRenewal(newKey.Text, generation) };
        store.Save(state);
        Step(RenewalStep.Started);
        try
        {
            var algorithm = backend.GetPublicKey(currentKey).Algorithm;
            var publicKey = generator.CreateKey(newKey, algorithm);
            Step(RenewalStep.KeyGenerated);
            var registrationId = Provisioner.RegistrationIdOf(configuration, current);
            string csr;
            using (var privateKey = backend.OpenPrivateKey(newKey))
            {
                var subject = new X500DistinguishedNameBuilder();
                subject.AddCommonName(registrationId);
                csr = Convert.ToBase64String(CertificationRequest.Create(privateKey, subject.Build()).Der.Span);
            }
            Step(RenewalStep.CsrSigned);
            IReadOnlyList<string>? issued = null;
            var assignment = state;
            var issuedOver = "dps";
            string? hubDeclined = null;
            if (hub is not null)
            {
                try
                {
                    issued = await hub.IssueCertificateAsync(csr, IssueTimeout, cancellationToken).ConfigureAwait(false);
                    issuedOver = "hub";
                }
                catch (Exception e) when (e is RenewalException or TimeoutException or MqttCommunicationException)
                {
                    // The hub refused, did not answer or dropped the connection: the same CSR goes to DPS.
                    hubDeclined = e.Message;
                }
            }
            if (issued is null)
                (assignment, issued) = await Provisioner.RegisterAsync(configuration, current, csr, null, Dps, clock, cancellationToken).ConfigureAwait(false);
            Step(RenewalStep.Issued);
            string chainPath, thumbprint;
            using (var anchors = TrustAnchors(current))
            using (var bundle = IssuedChainCheck.Check(issued, registrationId, publicKey.ToPublicKey(), anchors.Collection, new ChainBundleValidator(clock)))
            {
                chainPath = Path.Combine(configuration.StateDirectory, $"chain.r{generation}.pem");
                AtomicFile.Write(chainPath, bundle.ToPem());
                thumbprint = bundle.Leaf.Thumbprint;
            }
            state = state with
            {
                PendingRenewal = state.PendingRenewal! with { Chain = chainPath, Thumbprint = thumbprint, AssignedHub = assignment.AssignedHub, DeviceId = assignment.DeviceId },
            };
            store.Save(state);
            Step(RenewalStep.ChainStored);
            return new RenewalCandidate(DeviceIdentity.Open(settings.WithCredential(newKey.Text, chainPath), backends), state) { IssuedOver = issuedOver, HubDeclined = hubDeclined };
        }
        catch (Exception e)
        {
            try
            {
                RollBack(backends, state);
            }
            catch (Exception rollback) when (rollback is KeyCustodyException or IOException or UnauthorizedAccessException)
            {
                // Left pending: the next start undoes it (CertificateRenewal's recovery); the first failure is the one to report.
            }
            if (e is OperationCanceledException or RenewalException)
                throw;
            throw new RenewalException($"renewal with the new key {newKey} failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Commits a renewal whose new identity has connected: the state names the new key and chain, the
    /// old key is retired (destroyed after the grace period; the onboarding key is kept when
    /// <see cref="RenewalSettings.KeepOnboardingCredential"/>). Returns the committed state.
    /// </summary>
    /// <exception cref="IOException">The state could not be written (the renewal is then neither committed nor lost: the next start finishes it).</exception>
    /// <exception cref="InvalidOperationException">No renewal with an issued chain is pending.</exception>
    public AgentState Commit(AgentKeyBackends backends, AgentState state)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(state);
        var pending = state.PendingRenewal ?? throw new InvalidOperationException("no renewal is pending");
        if (pending.Chain is null || pending.Thumbprint is null)
            throw new InvalidOperationException("the pending renewal has no issued chain yet");
        Step(RenewalStep.Connected); // the caller commits only after the new identity connected
        if (state.RetiredKey is not null)
            state = DestroyRetired(backends, state); // two generations old: its grace period is long over
        var oldKey = CurrentCredential.Settings(configuration, state).Key!;
        var retired = state.Credential is null && configuration.Renewal.KeepOnboardingCredential
            ? null
            : new RetiredKey(oldKey, state.Credential?.Chain, clock.GetUtcNow() + configuration.Renewal.OldKeyGracePeriod);
        var committed = state with
        {
            Credential = new RenewedCredential(pending.Key, pending.Chain, pending.Generation),
            PendingRenewal = null,
            RetiredKey = retired,
            CertificateThumbprint = pending.Thumbprint,
            AssignedHub = pending.AssignedHub ?? state.AssignedHub,
            DeviceId = pending.DeviceId ?? state.DeviceId,
        };
        store.Save(committed);
        Step(RenewalStep.Committed);
        return committed;
    }

    /// <summary>Undoes the pending renewal, if any: destroys its key and chain file, saves the state without it.</summary>
    public AgentState RollBack(AgentKeyBackends backends, AgentState state)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(state);
        if (state.PendingRenewal is not { } pending)
            return state;
        var key = KeyReference.Parse(pending.Key, configuration.Identity.Module, configuration.Identity.PinSource);
        if (backends.For(key) is IKeyDestroyer destroyer)
            destroyer.DestroyKey(key);
        if (pending.Chain is not null)
            File.Delete(pending.Chain);
        var rolledBack = state with { PendingRenewal = null };
        store.Save(rolledBack);
        Step(RenewalStep.RolledBack);
        return rolledBack;
    }

    /// <summary>Destroys the retired key once its grace period is over; returns the state (saved when it changed).</summary>
    /// <exception cref="KeyCustodyException">The token or TPM refused to destroy it (retried next time).</exception>
    public AgentState DestroyRetiredKeyIfDue(AgentKeyBackends backends, AgentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.RetiredKey is { } retired && clock.GetUtcNow() >= retired.DestroyAfterUtc ? DestroyRetired(backends, state) : state;
    }

    private AgentState DestroyRetired(AgentKeyBackends backends, AgentState state)
    {
        var retired = state.RetiredKey!;
        var key = KeyReference.Parse(retired.Key, configuration.Identity.Module, configuration.Identity.PinSource);
        if (backends.For(key) is IKeyDestroyer destroyer)
            destroyer.DestroyKey(key);
        if (retired.Chain is not null && Path.GetDirectoryName(Path.GetFullPath(retired.Chain)) == Path.GetFullPath(configuration.StateDirectory))
            File.Delete(retired.Chain);
        // Reported before the state forgets the key: a crash here leaves a retired key that is gone, which
        // the next look destroys again (DestroyKey of a missing key is false, not an error) and forgets.
        Step(RenewalStep.OldKeyDestroyed);
        var next = state with { RetiredKey = null };
        store.Save(next);
        return next;
    }

    /// <summary>
    /// Forgets every renewed credential (<c>deviceagent reset --credential</c>, once identity.key and identity.chain
    /// are known to work): destroys the pending, current and retired renewal keys (never identity.key) and their
    /// chain files in the state directory, so the next renewal's key places are free. The caller deletes the state.
    /// </summary>
    /// <exception cref="KeyCustodyException">The token or TPM refused to destroy a key (nothing was forgotten: rerun).</exception>
    public void ForgetRenewedCredentials(AgentKeyBackends backends, AgentState state)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(state);
        var onboarding = configuration.Identity.ToKeyReference().Text;
        (string Key, string? Chain)?[] renewed =
            [state.PendingRenewal is { } p ? (p.Key, p.Chain) : null, state.Credential is { } c ? (c.Key, c.Chain) : null, state.RetiredKey is { } r ? (r.Key, r.Chain) : null];
        foreach (var (key, chain) in renewed.OfType<(string Key, string? Chain)>())
        {
            if (string.Equals(key, onboarding, StringComparison.Ordinal))
                continue;
            var reference = KeyReference.Parse(key, configuration.Identity.Module, configuration.Identity.PinSource);
            if (backends.For(reference) is IKeyDestroyer destroyer)
                destroyer.DestroyKey(reference);
            if (chain is not null && Path.GetDirectoryName(Path.GetFullPath(chain)) == Path.GetFullPath(configuration.StateDirectory))
                File.Delete(chain);
        }
    }

    private static bool Exists(IKeyBackend backend, KeyReference key)
    {
        try
        {
            backend.GetPublicKey(key);
            return true;
        }
        catch (KeyCustodyException e) when (e.Error == KeyCustodyError.KeyNotFound)
        {
            return false;
        }
    }

    // renewal.trust, else the top certificate of the device's current chain bundle.
    private Anchors TrustAnchors(DeviceIdentity current)
    {
        var anchors = new X509Certificate2Collection();
        if (configuration.Renewal.Trust is { } path)
        {
            try
            {
                anchors.ImportFromPemFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new RenewalException($"renewal.trust '{path}' cannot be read as PEM certificates: {e.Message}", e);
            }
            if (anchors.Count == 0)
                throw new RenewalException($"renewal.trust '{path}' holds no certificate");
        }
        else
        {
            anchors.Add(X509CertificateLoader.LoadCertificate(current.TopCertificate.RawData));
        }
        return new Anchors(anchors);
    }

    private void Step(RenewalStep step) => StepReached?.Invoke(step);

    private sealed class Anchors(X509Certificate2Collection collection) : IDisposable
    {
        public X509Certificate2Collection Collection { get; } = collection;

        public void Dispose()
        {
            foreach (var certificate in Collection)
                certificate.Dispose();
        }
    }
}
