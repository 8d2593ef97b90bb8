using ChatOpsBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Storage;

/// <summary>One entry of the top-level <c>Vips</c> configuration list.</summary>
public sealed class VipSeedEntry
{
    public string? DisplayName { get; set; }

    public string? Email { get; set; }
}

/// <summary>
/// The top-level <c>Vips</c> list: seeds the VIP list once, on the first start that finds the list empty and this
/// configuration non-empty. From then on the list belongs to the bot's VIP commands and this configuration is ignored.
/// </summary>
public sealed class VipSeedOptions
{
    public const string SectionName = "Vips";

    public IReadOnlyList<VipSeedEntry> Entries { get; set; } = [];
}

internal sealed class VipSeedOptionsValidator : IValidateOptions<VipSeedOptions>
{
    public ValidateOptionsResult Validate(string? name, VipSeedOptions options)
    {
        if (options.Entries.Count > StorageLimits.VipSeedMaxCount)
        {
            return ValidateOptionsResult.Fail($"Vips lists {options.Entries.Count} entries; at most {StorageLimits.VipSeedMaxCount} are read.");
        }

        var failures = new List<string>();
        for (int index = 0; index < options.Entries.Count; index++)
        {
            VipSeedEntry entry = options.Entries[index];
            if (string.IsNullOrWhiteSpace(entry.DisplayName) || entry.DisplayName.Trim().Length > StorageLimits.VipDisplayNameMaxLength)
            {
                failures.Add($"Vips[{index}].DisplayName must be 1 to {StorageLimits.VipDisplayNameMaxLength} characters.");
            }

            try
            {
                VipAddress.Require(entry.Email, "Email");
            }
            catch (ArgumentException)
            {
                failures.Add($"Vips[{index}].Email must be an e-mail address (local@domain, at most {StorageLimits.VipEmailMaxLength} characters).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
