namespace DeviceAgent.Fuzz;

/// <summary>
/// One parser under fuzzing: <see cref="Run"/> feeds it the bytes and throws only when the parser
/// broke its contract. Each target catches exactly the exception family its parser documents for bad
/// input (a refusal); anything else escaping is a crash, and so is a broken invariant
/// (<see cref="InvariantViolatedException"/>).
/// </summary>
/// <param name="Name">The target's name on the command line and its seed corpus folder (tests/fuzz/corpora/NAME).</param>
/// <param name="Run">Runs one input.</param>
internal sealed record FuzzTarget(string Name, Action<byte[]> Run);

/// <summary>A parser accepted an input but broke one of its own promises (a round trip, a fixed point).</summary>
internal sealed class InvariantViolatedException : Exception
{
    public InvariantViolatedException() { }

    public InvariantViolatedException(string message) : base(message) { }

    public InvariantViolatedException(string message, Exception innerException) : base(message, innerException) { }
}
