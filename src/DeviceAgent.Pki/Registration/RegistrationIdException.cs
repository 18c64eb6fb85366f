namespace DeviceAgent.Pki.Registration;

/// <summary>A registration id that DPS would refuse; the message says which rule it breaks.</summary>
public sealed class RegistrationIdException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public RegistrationIdException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public RegistrationIdException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public RegistrationIdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal RegistrationIdException(string text, string problem)
        : base($"registration id '{text}' would be refused by DPS: {problem}")
    {
        Text = text;
        Problem = problem;
    }

    /// <summary>The id as given.</summary>
    public string? Text { get; }

    /// <summary>The rule broken, with its source.</summary>
    public string? Problem { get; }
}
