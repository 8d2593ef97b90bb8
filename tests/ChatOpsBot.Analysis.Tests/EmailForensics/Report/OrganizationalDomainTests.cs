using ChatOpsBot.Analysis.EmailForensics;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

/// <summary>
/// <see cref="SenderDomains.OrganizationalDomain"/> cuts the usual domain in place; these tests hold it to the
/// label-splitting original (<see cref="SenderDomains.OrganizationalDomainByLabels"/>) on any text.
/// </summary>
public class OrganizationalDomainTests
{
    [Theory]
    [InlineData("mail.Example.COM", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk.", "example.co.uk")]
    [InlineData(" x.y.example.de ", "example.de")]
    [InlineData("a..example.com", "example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("", "")]
    public void KeepsTheRegistrablePart(string domain, string expected)
    {
        SenderDomains.OrganizationalDomain(domain).ShouldBe(expected);
        SenderDomains.OrganizationalDomainByLabels(domain).ShouldBe(expected);
    }

    [Fact]
    public void AgreesWithSplittingIntoLabelsOnAnyText()
    {
        Gen<string> pieces = Gen.Elements(
            "a", "Mail", "example", "EXAMPLE", "co", "CO", "uk", "de", "com", "gob", "x", ".", ".", "..", " ", "\t", "-", "_",
            "\u00e9", "\u0130", "\u212a", "\ud83d\ude00", "xn--", "1", "ac", "jp");
        Gen<string> domains = Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(pieces, n)).Select(p => string.Concat(p));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(30_000),
            Prop.ForAll(domains.ToArbitrary(), domain => SenderDomains.OrganizationalDomain(domain) == SenderDomains.OrganizationalDomainByLabels(domain)));
    }
}
