using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Tests.Teams.Support;

/// <summary>
/// Removes a test host's database folder. A stopped host's last SQLite connection may still be checkpointing its WAL
/// when the folder is deleted, so a delete that races it is tried again; a temporary folder that still resists is left
/// behind rather than failing a test that passed.
/// </summary>
internal static class TempFolder
{
    public static async Task DeleteAsync(string folder)
    {
        SqliteConnection.ClearAllPools();
        for (int attempt = 1; attempt <= 5 && Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}
