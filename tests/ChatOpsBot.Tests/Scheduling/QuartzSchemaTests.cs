using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsBot.Storage.Migrations;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Tests.Scheduling;

/// <summary>
/// Migration 0003 must give Quartz exactly the tables its SQLite job store expects: the schema it creates is compared,
/// object by object, with the one Quartz.NET's own SQLite script creates (the script inside the Quartz package the bot
/// runs with; see <see cref="QuartzSchemaScripts"/>), both built in in-memory SQLite and read back from
/// <c>sqlite_master</c> and the table/index/foreign-key pragmas. A difference fails the test unless it is listed in
/// <see cref="IntendedDifferences"/> with the reason we chose it.
/// </summary>
public sealed partial class QuartzSchemaTests
{
    /// <summary>Schema facts (as <see cref="Describe"/> writes them) that differ on purpose, each with why. Empty today:
    /// migration 0003 is Quartz's script with only the statement separators changed, which leaves no trace in the
    /// schema.</summary>
    private static readonly Dictionary<string, string> IntendedDifferences = new(StringComparer.Ordinal);

    [Fact]
    public void Migration0003CreatesTheSchemaOfQuartzsOwnSqliteScript()
    {
        List<string> ours = Describe(connection => Execute(connection, OurMigration()));
        List<string> quartz = Describe(connection =>
        {
            foreach (string statement in QuartzSchemaScripts.Statements("sqlite"))
            {
                Execute(connection, statement);
            }
        });

        quartz.Count.ShouldBeGreaterThan(100, "the comparison must see Quartz's schema, not an empty database");
        List<string> unexplained =
        [
            .. ours.Except(quartz).Select(fact => "only in migration 0003: " + fact),
            .. quartz.Except(ours).Select(fact => "only in Quartz's script: " + fact),
        ];
        unexplained.RemoveAll(line => IntendedDifferences.ContainsKey(line));
        unexplained.ShouldBeEmpty(
            "migration 0003 no longer matches Quartz's SQLite schema. After a Quartz upgrade, add a migration that brings the tables to the new " +
            "version's schema (Quartz's database/migrations folder says what changed); never edit 0003. A difference kept on purpose goes into " +
            "IntendedDifferences with its reason.");
        IntendedDifferences.Keys.Where(fact => !ours.Concat(quartz).Any(f => fact.EndsWith(f, StringComparison.Ordinal)))
            .ShouldBeEmpty("an intended difference that no longer exists should be removed from the list");
    }

    [Fact]
    public void TheComparisonSeesColumnTypesDefaultsKeysIndexesAndForeignKeys()
    {
        // The description is what the comparison rests on: each kind of change must show in it.
        List<string> baseline = Describe(connection => Execute(connection, OurMigration()));
        string[] changes =
        [
            "NEXT_FIRE_TIME BIGINT NULL,|NEXT_FIRE_TIME INTEGER NULL,",
            "PREFERRED_NODE_AUTO BIT NOT NULL DEFAULT 0,|PREFERRED_NODE_AUTO BIT NOT NULL DEFAULT 1,",
            "JOB_CLASS_NAME NVARCHAR(250) NOT NULL,|JOB_CLASS_NAME NVARCHAR(250) NULL,",
            "PRIMARY KEY (SCHED_NAME,LOCK_NAME)|PRIMARY KEY (LOCK_NAME,SCHED_NAME)",
            "IDX_QRTZ_T_NFT_ST ON QRTZ_TRIGGERS(SCHED_NAME,TRIGGER_STATE,NEXT_FIRE_TIME ASC,PRIORITY DESC,MISFIRE_INSTR)|" +
                "IDX_QRTZ_T_NFT_ST ON QRTZ_TRIGGERS(SCHED_NAME,TRIGGER_STATE,NEXT_FIRE_TIME ASC,PRIORITY ASC,MISFIRE_INSTR)",
            "REFERENCES QRTZ_TRIGGERS (SCHED_NAME,TRIGGER_NAME,TRIGGER_GROUP) ON DELETE CASCADE\n);\n--;;\n-- QRTZ_CRON_TRIGGERS|" +
                "REFERENCES QRTZ_TRIGGERS (SCHED_NAME,TRIGGER_NAME,TRIGGER_GROUP)\n);\n--;;\n-- QRTZ_CRON_TRIGGERS",
            "DELETE FROM QRTZ_BLOB_TRIGGERS WHERE|DELETE FROM QRTZ_CRON_TRIGGERS WHERE",
        ];
        foreach (string change in changes)
        {
            string[] parts = change.Split('|');
            string script = OurMigration();
            script.ShouldContain(parts[0], Case.Sensitive, "the probe must change something that is there");

            List<string> changed = Describe(connection => Execute(connection, script.Replace(parts[0], parts[1], StringComparison.Ordinal)));

            changed.ShouldNotBe(baseline, $"changing '{parts[0]}' must change the description");
        }
    }

    [Fact]
    public void QuartzShipsTheScriptsThePostgreSqlProviderNeedsToo()
    {
        QuartzSchemaScripts.Dialects.ShouldContain("sqlite");
        QuartzSchemaScripts.Dialects.ShouldContain("postgres");
        QuartzSchemaScripts.Statements("postgres", "qrtz_").ShouldContain(s => s.StartsWith("CREATE TABLE IF NOT EXISTS qrtz_triggers (", StringComparison.Ordinal));
    }

    private static string OurMigration() =>
        new SqliteMigrationDialect().Render(MigrationCatalog.Embedded.Single(m => m.Version == 3).Script);

    /// <summary>Every schema fact of the QRTZ_ objects, one line each: columns (position, name, declared type, NOT NULL,
    /// default, place in the primary key), indexes (name, uniqueness, origin, key columns with direction and collation),
    /// foreign keys (columns, target, actions) and triggers (their SQL, whitespace collapsed).</summary>
    private static List<string> Describe(Action<SqliteConnection> create)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        create(connection);
        var facts = new List<string>();
        List<string[]> objects = Rows(connection, $"SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master WHERE name LIKE 'QRTZ\\_%' ESCAPE '\\' OR tbl_name LIKE 'QRTZ\\_%' ESCAPE '\\' ORDER BY type, name");
        foreach (string[] item in objects.Where(o => o[0] == "table"))
        {
            string table = item[1];
            facts.Add($"table {table}");
            foreach (string[] column in Rows(connection, "SELECT cid, name, type, \"notnull\", COALESCE(dflt_value, '(none)'), pk FROM pragma_table_info(@name)", table))
            {
                facts.Add($"table {table} column {column[0]} {column[1]} {column[2]} notnull={column[3]} default={column[4]} pk={column[5]}");
            }

            foreach (string[] index in Rows(connection, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@name)", table))
            {
                IEnumerable<string> keys = Rows(connection, "SELECT seqno, COALESCE(name, '(expr)'), \"desc\", coll FROM pragma_index_xinfo(@name) WHERE key = 1 ORDER BY seqno", index[0])
                    .Select(k => $"{k[1]}{(k[2] == "1" ? " DESC" : "")} {k[3]}");
                facts.Add($"table {table} index {index[0]} unique={index[1]} origin={index[2]} partial={index[3]} ({string.Join(", ", keys)})");
            }

            foreach (IGrouping<string, string[]> key in Rows(connection, "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, \"match\" FROM pragma_foreign_key_list(@name)", table)
                .GroupBy(k => k[0]))
            {
                string[] first = key.First();
                facts.Add($"table {table} foreign key ({string.Join(",", key.Select(k => k[3]))}) -> {first[2]} ({string.Join(",", key.Select(k => k[4]))}) " +
                    $"on update {first[5]} on delete {first[6]} match {first[7]}");
            }
        }

        facts.AddRange(objects.Where(o => o[0] == "trigger").Select(t => $"trigger {t[1]} on {t[2]}: {Whitespace().Replace(t[3], " ").Trim()}"));
        return facts;
    }

    private static List<string[]> Rows(SqliteConnection connection, string sql, string? name = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        if (name is not null)
        {
            command.Parameters.AddWithValue("@name", name);
        }

        var rows = new List<string[]>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }

            rows.Add(row);
        }

        return rows;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
