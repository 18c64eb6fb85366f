namespace DeviceAgent.Pki.Chains;

/// <summary>One broken rule: which certificate, which rule, and a message that says both.</summary>
/// <param name="Rule">The rule broken.</param>
/// <param name="Certificate">The certificate that breaks it.</param>
/// <param name="Reason">What is wrong, in words, without the certificate's name (the <see cref="Message"/> adds it).</param>
public sealed record ChainViolation(ChainRule Rule, CertificateIdentity Certificate, string Reason)
{
    /// <summary>The specification the rule comes from.</summary>
    public string Citation => ChainRules.Citation(Rule);

    /// <summary>The full message: the certificate, what is wrong, and the rule with its citation.</summary>
    public string Message => $"{Certificate}: {Reason} [{Rule}: {Citation}]";
}
