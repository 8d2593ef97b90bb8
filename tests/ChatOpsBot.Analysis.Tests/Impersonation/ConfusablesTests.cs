using ChatOpsBot.Analysis.Impersonation;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.Impersonation;

public class ConfusablesTests
{
    // Latin letter → look-alikes an attacker can substitute (TR39 prototypes, NFKD forms, diacritics, the ASCII tricks).
    private static readonly Dictionary<char, string[]> s_lookalikes = new()
    {
        ['a'] = ["\u0430", "\u03B1", "\u0251", "\u00E1", "\uFF41"],
        ['c'] = ["\u0441", "\u03F2", "\u00E7"],
        ['d'] = ["\u0501"],
        ['e'] = ["\u0435", "\u04BD", "\u00E9", "\u00EB"],
        ['g'] = ["\u0261"],
        ['h'] = ["\u04BB"],
        ['i'] = ["\u0456", "\u03B9", "\u0131", "\u00ED"],
        ['j'] = ["\u0458"],
        ['l'] = ["1", "|", "\u01C0"],
        ['m'] = ["rn", "\uFF4D"],
        ['n'] = ["\u00F1"],
        ['o'] = ["0", "\u043E", "\u03BF", "\u03C3", "\u00F6", "\u00F8"],
        ['p'] = ["\u0440", "\u03C1"],
        ['q'] = ["\u051B"],
        ['s'] = ["\u0455"],
        ['u'] = ["\u03C5", "\u00FC"],
        ['v'] = ["\u03BD", "\u0475"],
        ['w'] = ["vv", "\u051D"],
        ['x'] = ["\u0445"],
        ['y'] = ["\u0443", "\u04AF", "\u00FD"],
        ['A'] = ["\u0410", "\u0391", "\uFF21"],
        ['B'] = ["\u0412", "\u0392"],
        ['C'] = ["\u0421"],
        ['E'] = ["\u0415", "\u0395", "\u00C9"],
        ['H'] = ["\u041D", "\u0397"],
        ['K'] = ["\u041A", "\u039A"],
        ['M'] = ["\u041C", "\u039C"],
        ['N'] = ["\u039D"],
        ['O'] = ["\u041E", "\u039F", "0"],
        ['P'] = ["\u0420", "\u03A1"],
        ['T'] = ["\u0422", "\u03A4"],
        ['X'] = ["\u0425", "\u03A7"],
        ['Z'] = ["\u0396"],
    };

    private static readonly Gen<string> s_latinText =
        Gen.Choose(1, 16)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCEHKMNOPTXZ .-".ToCharArray()), n))
            .Select(cs => new string(cs));

    [Theory]
    [InlineData("\u0440\u0430\u0443\u0440\u0430l", "paypal")] // Cyrillic р, а, у
    [InlineData("\u0441\u043E\u0433\u0440.\u0441\u043E\u041C", "corp.com")] // Cyrillic с, о, г, р, capital М
    [InlineData("g\u03BF\u03BFgle", "google")] // Greek omicron
    [InlineData("\u0412\u041E\u0412", "BOB")] // Cyrillic capitals В, О
    [InlineData("\uFF2A\uFF41\uFF4E\uFF45", "Jane")] // full-width
    [InlineData("J\u00E1n\u00E9", "Jane")] // precomposed diacritics
    [InlineData("Ja\u0301ne\u0308", "Jane")] // combining diacritics
    [InlineData("Ja\u200Bne\u00AD", "Jane")] // zero-width space, soft hyphen
    [InlineData("rnicrosoft", "microsoft")]
    [InlineData("vvidget", "widget")]
    [InlineData("c0rp", "corp")]
    [InlineData("paypa1", "paypal")]
    [InlineData("\uD835\uDC09\uD835\uDC1A\uD835\uDC27\uD835\uDC1E", "Jane")] // mathematical bold
    public void SkeletonOfALookalikeEqualsSkeletonOfTheOriginal(string lookalike, string original)
    {
        Confusables.Skeleton(lookalike).ShouldBe(Confusables.Skeleton(original));
    }

    [Fact]
    public void LowercaseCyrillicLettersThatOnlyLookLikeSmallCapitalsStayDistinct()
    {
        // в, м, н look like small-capital B, M, H, not like b, m, h: mapping them would invent matches.
        Confusables.Skeleton("\u0432\u043C\u043D").ShouldNotBe(Confusables.Skeleton("bmh"));
        Confusables.Skeleton("\u0412\u041C\u041D").ShouldBe(Confusables.Skeleton("bmh"));
    }

    [Theory]
    [InlineData("corp", "carp")]
    [InlineData("paypal", "paypai")]
    [InlineData("bill", "biii")]
    [InlineData("jane", "jano")]
    public void SkeletonKeepsDifferentLettersApart(string first, string second)
    {
        Confusables.Skeleton(first).ShouldNotBe(Confusables.Skeleton(second));
    }

    [Fact]
    public void CapitalIReadsAsLowercaseLOnlyWhenAsked()
    {
        Confusables.Skeleton("BiII").ShouldBe("biii");
        Confusables.Skeleton("BiII", capitalIAsL: true).ShouldBe("bill");
        Confusables.HasCapitalI("BiII").ShouldBeTrue();
        Confusables.HasCapitalI("\u0406van").ShouldBeTrue(); // Cyrillic capital І
        Confusables.HasCapitalI("bill").ShouldBeFalse();
    }

    [Fact]
    public void FoldIgnoresCaseAndDiacriticsButNotHomoglyphs()
    {
        Confusables.Fold("C\u00D6RP").ShouldBe("corp");
        Confusables.Fold("Stra\u00DFe").ShouldBe("strasse");
        Confusables.Fold("c\u043Erp").ShouldNotBe("corp");
        Confusables.Fold("c0rp").ShouldBe("c0rp");
    }

    [Fact]
    public void ReplacingLettersWithTheirLookalikesKeepsTheSkeleton()
    {
        Gen<(string Original, string Disguised)> disguised =
            from original in s_latinText
            from choices in Gen.ArrayOf(Gen.Choose(0, 99), original.Length)
            select (original, Disguise(original, choices));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(1_000),
            Prop.ForAll(disguised.ToArbitrary(), pair => Confusables.Skeleton(pair.Disguised) == Confusables.Skeleton(pair.Original)));
    }

    [Fact]
    public void SkeletonIgnoresTheCaseOfLatinLetters()
    {
        Prop.ForAll(
                s_latinText.ToArbitrary(),
                text => Confusables.Skeleton(text.ToUpperInvariant()) == Confusables.Skeleton(text.ToLowerInvariant()))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void LoneSurrogatesDoNotThrow()
    {
        Confusables.Skeleton("J\uD800ane").ShouldBe("j\uFFFDane");
        Confusables.Fold("\uDC00x").ShouldBe("\uFFFDx");
    }

    [Fact]
    public void AsciiShortcutAgreesWithTheFullUnicodePath()
    {
        // A trailing zero-width space is dropped, but it sends the text down the Unicode path.
        Gen<string> ascii = Gen.Choose(0, 20).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 127).Select(c => (char)c), n)).Select(cs => new string(cs));

        Prop.ForAll(
                ascii.ToArbitrary(),
                text => Confusables.Skeleton(text) == Confusables.Skeleton(text + "\u200B")
                    && Confusables.Skeleton(text, capitalIAsL: true) == Confusables.Skeleton(text + "\u200B", capitalIAsL: true)
                    && Confusables.Fold(text) == Confusables.Fold(text + "\u200B"))
            .QuickCheckThrowOnFailure();
    }

    private static string Disguise(string original, int[] choices)
    {
        var result = new System.Text.StringBuilder();
        for (int i = 0; i < original.Length; i++)
        {
            // Roughly half the letters that have look-alikes get one.
            if (s_lookalikes.TryGetValue(original[i], out string[]? options) && choices[i] % 2 == 0)
            {
                result.Append(options[choices[i] / 2 % options.Length]);
            }
            else
            {
                result.Append(original[i]);
            }
        }

        return result.ToString();
    }
}
