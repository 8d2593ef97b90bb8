using ChatOpsBot.Cli;

return await ChatOpsCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
