using System.Data;
using System.Data.Common;

namespace ChatOpsBot.Storage;

internal static class DbCommandExtensions
{
    /// <summary>Adds a named parameter; <see langword="null"/> becomes <see cref="DBNull"/>.</summary>
    public static DbCommand AddParameter(this DbCommand command, string name, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Adds a typed named parameter without a value, for a statement run many times with new values.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, DbType type)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
