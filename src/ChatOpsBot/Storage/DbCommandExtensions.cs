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
}
