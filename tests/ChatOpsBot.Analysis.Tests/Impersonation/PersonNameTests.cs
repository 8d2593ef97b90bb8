using System.Globalization;
using System.Text;
using ChatOpsBot.Analysis.Impersonation;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.Impersonation;

public class PersonNameTests
{
    private static readonly Gen<string> s_word =
        Gen.Choose(2, 9).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz".ToCharArray()), n)).Select(cs => new string(cs));

    private static readonly Gen<string[]> s_vipWords = Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(s_word, n));

    [Theory]
    [InlineData("jane doe")]
    [InlineData("JANE DOE")]
    [InlineData("Doe, Jane")]
    [InlineData("JANE DOE (CEO)")]
    [InlineData("Jane Doe via Corp")]
    [InlineData("J\u00E1ne D\u00F6e")] // diacritics
    [InlineData("\uFF2A\uFF41\uFF4E\uFF45 \uFF24\uFF4F\uFF45")] // full-width
    [InlineData("J\u0430ne Doe")] // Cyrillic а: the homoglyph attack
    [InlineData("J\u0430n\u0435 D\u043E\u0435")] // Cyrillic а, е, о
    [InlineData("  Jane   .Doe.  ")] // extra spaces, dots
    [InlineData("Jane D0e")] // digit zero
    [InlineData("Jane\u200B Doe")] // zero-width space
    [InlineData("JaneDoe")] // words run together
    [InlineData("jane.doe@corp.com")] // the VIP's address as display name
    [InlineData("Jane Q. Doe")] // a middle initial in the display name
    public void DisplayNameShowsVipJaneDoe(string displayName)
    {
        PersonName.Parse(displayName).Shows(PersonName.Parse("Jane Doe")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("Alice Cooper", "Al")] // the seed's substring match
    [InlineData("Al", "Alice")]
    [InlineData("Janet Doering", "Jane Doe")]
    [InlineData("Jane Smith", "Jane Doe")]
    [InlineData("John Doe", "Jane Doe")]
    [InlineData("Jan Doe", "Jane Doe")]
    [InlineData("Jane", "Jane Doe")]
    [InlineData("", "Jane Doe")]
    [InlineData("J. Doe", "Jane Doe")]
    public void DisplayNameDoesNotShowAnotherName(string displayName, string vipName)
    {
        PersonName.Parse(displayName).Shows(PersonName.Parse(vipName)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Jane Doe", "Doe, Jane")] // VIP configured as "Last, First"
    [InlineData("Jane Doe", "Jane A. Doe")] // VIP configured with a middle initial
    [InlineData("BiII Gates", "Bill Gates")] // capital I for l
    [InlineData("lan Wright", "Ian Wright")] // l for capital I
    [InlineData("Sean O'Brien", "Sean OBrien")]
    [InlineData("Jean-Luc Picard", "Jean Luc Picard")]
    [InlineData("Jürgen Müller", "Jurgen Muller")]
    [InlineData("Ørsted Næss", "Orsted Naess")]
    public void MatchingToleratesTheWaysANameIsWritten(string displayName, string vipName)
    {
        PersonName.Parse(displayName).Shows(PersonName.Parse(vipName)).ShouldBeTrue();
    }

    [Fact]
    public void NameWithoutLettersOrDigitsIsEmptyAndMatchesNothing()
    {
        PersonName empty = PersonName.Parse(" ... ");
        empty.IsEmpty.ShouldBeTrue();
        PersonName.Parse("anything").Shows(empty).ShouldBeFalse();
    }

    [Fact]
    public void KeyIsTheSameForBothNameOrders()
    {
        PersonName.Parse("Doe, Jane").Key.ShouldBe(PersonName.Parse("JANE DOE").Key);
        PersonName.Parse("Jane Doe").ToString().ShouldBe("jane doe");
    }

    [Fact]
    public void MatchingIsInvariantUnderCaseChanges()
    {
        Gen<(string[] Words, int[] Flips)> cases =
            from words in s_vipWords
            from flips in Gen.ArrayOf(Gen.Choose(0, 1), words.Sum(w => w.Length))
            select (words, flips);

        Prop.ForAll(
                cases.ToArbitrary(),
                c =>
                {
                    string vip = string.Join(' ', c.Words);
                    string display = new(vip.Replace(" ", string.Empty, StringComparison.Ordinal)
                        .Select((ch, i) => c.Flips[i] == 1 ? char.ToUpperInvariant(ch) : ch)
                        .ToArray());
                    display = Respace(display, c.Words);
                    return PersonName.Parse(display).Shows(PersonName.Parse(vip));
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MatchingIsInvariantUnderDiacritics()
    {
        Gen<(string[] Words, int[] Marks)> cases =
            from words in s_vipWords
            from marks in Gen.ArrayOf(Gen.Choose(0, 0x36F - 0x300 + 10), words.Sum(w => w.Length + 1))
            select (words, marks);

        Prop.ForAll(
                cases.ToArbitrary(),
                c =>
                {
                    string vip = string.Join(' ', c.Words);
                    var display = new StringBuilder();
                    for (int i = 0; i < vip.Length; i++)
                    {
                        display.Append(vip[i]);
                        if (vip[i] != ' ' && c.Marks[i] <= 0x36F - 0x300)
                        {
                            display.Append((char)(0x300 + c.Marks[i]));
                        }
                    }

                    string composed = display.ToString().Normalize(NormalizationForm.FormC);
                    return PersonName.Parse(composed).Shows(PersonName.Parse(vip))
                        && PersonName.Parse(vip).Shows(PersonName.Parse(composed));
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MatchingAcceptsLastFirstOrderBothWays()
    {
        Gen<(string First, string Last)> names = s_word.Two().Select(t => (t.Item1, t.Item2));

        Prop.ForAll(
                names.ToArbitrary(),
                n =>
                {
                    string firstLast = $"{n.First} {n.Last}";
                    string lastFirst = $"{n.Last}, {n.First}";
                    return PersonName.Parse(lastFirst).Shows(PersonName.Parse(firstLast))
                        && PersonName.Parse(firstLast).Shows(PersonName.Parse(lastFirst));
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AProperPartOfAWordNeverMatchesTheWord()
    {
        Gen<(string Word, string Part)> parts =
            from word in s_word
            from start in Gen.Choose(0, word.Length - 1)
            from length in Gen.Choose(1, word.Length - start)
            where length < word.Length
            select (word, word.Substring(start, length));

        Prop.ForAll(
                parts.ToArbitrary(),
                p => !PersonName.Parse(p.Part).Shows(PersonName.Parse(p.Word))
                    && !PersonName.Parse(p.Word).Shows(PersonName.Parse(p.Part))
                    && !PersonName.Parse($"{p.Word.ToUpper(CultureInfo.InvariantCulture)} Smith").Shows(PersonName.Parse(p.Part)))
            .QuickCheckThrowOnFailure();
    }

    private static string Respace(string joined, string[] words)
    {
        var spaced = new StringBuilder();
        int offset = 0;
        foreach (string word in words)
        {
            if (spaced.Length > 0)
            {
                spaced.Append(' ');
            }

            spaced.Append(joined, offset, word.Length);
            offset += word.Length;
        }

        return spaced.ToString();
    }
}
