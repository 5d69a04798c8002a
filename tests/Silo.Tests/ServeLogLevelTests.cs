namespace RadMah.Silo.Tests;

/// <summary>serve --log-level: a level users know by name, refused with the choices when it is not one.</summary>
public class ServeLogLevelTests
{
    [Theory]
    [InlineData("debug")]
    [InlineData("warning")]
    [InlineData("error")]
    public void A_known_level_is_accepted(string level) =>
        Assert.Empty(ServeCommand.Create().Parse(["--log-level", level]).Errors);

    [Fact]
    public void No_level_given_means_information_and_is_no_error() =>
        Assert.Empty(ServeCommand.Create().Parse([]).Errors);

    [Fact]
    public void An_unknown_level_is_refused_with_the_levels_to_choose_from()
    {
        var errors = ServeCommand.Create().Parse(["--log-level", "loud"]).Errors;
        var error = Assert.Single(errors).Message;
        Assert.Contains("loud", error);
        Assert.Contains("warning", error);
    }
}
