// WebApplicationFactory<Program> needs a public type to find the entry point's assembly;
// top-level statements generate an internal Program, so it is made public here.
public partial class Program;
