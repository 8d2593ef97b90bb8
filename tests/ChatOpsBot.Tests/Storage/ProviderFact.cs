using ChatOpsBot.TestSupport;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ChatOpsBot.Tests.Storage;

/// <summary>
/// A fact of a store suite that runs once per storage provider: the suite is an abstract class with one subclass per
/// provider, and the PostgreSQL subclass carries <see cref="PostgresSuiteAttribute"/>. Its facts skip, with the reason,
/// where there is no PostgreSQL test server, unless CI requires one (<see cref="PostgresTestServer"/>).
/// </summary>
[XunitTestCaseDiscoverer("ChatOpsBot.Tests.Storage.ProviderFactDiscoverer", "ChatOpsBot.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ProviderFactAttribute : FactAttribute;

/// <summary>A theory of a store suite that runs once per provider; see <see cref="ProviderFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("ChatOpsBot.Tests.Storage.ProviderTheoryDiscoverer", "ChatOpsBot.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ProviderTheoryAttribute : TheoryAttribute;

/// <summary>Marks the PostgreSQL subclass of a store suite written with <see cref="ProviderFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PostgresSuiteAttribute : Attribute;

public sealed class ProviderFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        string? skip = ProviderSuites.SkipReason(testMethod);
        TestMethodDisplay display = discoveryOptions.MethodDisplayOrDefault();
        TestMethodDisplayOptions options = discoveryOptions.MethodDisplayOptionsOrDefault();
        return skip is null
            ? [new XunitTestCase(diagnosticMessageSink, display, options, testMethod)]
            : [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, options, testMethod, skip)];
    }
}

public sealed class ProviderTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        string? skip = ProviderSuites.SkipReason(testMethod);
        return skip is null
            ? base.Discover(discoveryOptions, testMethod, theoryAttribute)
            : [new XunitSkippedDataRowTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip)];
    }
}

internal static class ProviderSuites
{
    public static string? SkipReason(ITestMethod testMethod) =>
        testMethod.TestClass.Class.GetCustomAttributes(typeof(PostgresSuiteAttribute)).Any() ? PostgresTestServer.SkipReason : null;
}
