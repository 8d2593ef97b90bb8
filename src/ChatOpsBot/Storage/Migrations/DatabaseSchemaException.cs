namespace ChatOpsBot.Storage.Migrations;

/// <summary>The database's schema does not fit this build (edited migration, newer database); the host refuses to start.</summary>
public sealed class DatabaseSchemaException : Exception
{
    public DatabaseSchemaException()
    {
    }

    public DatabaseSchemaException(string message)
        : base(message)
    {
    }

    public DatabaseSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
