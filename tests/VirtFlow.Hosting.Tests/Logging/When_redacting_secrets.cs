using VirtFlow.Contracts.Text;

namespace VirtFlow.Hosting.Tests.Logging;

/// <summary><see cref="SecretRedactor"/>: every connection-string form loses its secret, and nothing else changes.</summary>
public sealed class When_redacting_secrets
{
    [Theory]
    [InlineData("postgresql://user:secret@127.0.0.1:1/db", "postgresql://user:***@127.0.0.1:1/db")]
    [InlineData("postgres://user:secret@h/db?sslmode=disable", "postgres://user:***@h/db?sslmode=disable")]
    [InlineData("amqp://guest:secret@rabbit:5672/vhost", "amqp://guest:***@rabbit:5672/vhost")]
    [InlineData("amqps://svc:s3cr%40t@rabbit/", "amqps://svc:***@rabbit/")]
    [InlineData("rabbitmq://w1:secret@host/", "rabbitmq://w1:***@host/")]
    [InlineData("cannot reach amqp://u:secret@h:1/ (refused)", "cannot reach amqp://u:***@h:1/ (refused)")]
    [InlineData("store 'postgresql://u:secret@h/db' failed", "store 'postgresql://u:***@h/db' failed")]
    [InlineData("Host=h;Username=u;Password=secret;Port=1", "Host=h;Username=u;Password=***;Port=1")]
    [InlineData("Host=h;password = secret", "Host=h;password = ***")]
    [InlineData("Host=h;PWD=secret;Port=1", "Host=h;PWD=***;Port=1")]
    [InlineData("Host=h;pass=secret;Port=1", "Host=h;pass=***;Port=1")]
    [InlineData("Host=h;Passwd=secret", "Host=h;Passwd=***")]
    [InlineData("Host=h;Password=\"a;b\";Port=1", "Host=h;Password=***;Port=1")]
    [InlineData("Host=h;Password=\"a\"\";b\";Port=1", "Host=h;Password=***;Port=1")]
    [InlineData("Host=h;Password='a;b';Port=1", "Host=h;Password=***;Port=1")]
    [InlineData("Host=h;Password='it''s;x'", "Host=h;Password=***")]
    [InlineData("Host=h;Password=\"unterminated;Port=1", "Host=h;Password=***")]
    [InlineData("postgres://h/db?user=u&password=secret&sslmode=require", "postgres://h/db?user=u&password=***&sslmode=require")]
    [InlineData("{\"Password\": \"secret\", \"Host\": \"h\"}", "{\"Password\": \"***\", \"Host\": \"h\"}")]
    public void Each_form_in_free_text_hides_the_secret(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.Redact(text));

    [Theory]
    [InlineData("postgres:Host=127.0.0.1;Port=1;Username=u;Password=\"a;b\"", "postgres:Host=127.0.0.1;Port=1;Username=u;Password=***")]
    [InlineData("postgres:Host=h;Password=two words;Port=1", "postgres:Host=h;Password=***;Port=1")]
    [InlineData("postgres:Host=h;Password='x;y'", "postgres:Host=h;Password=***")]
    [InlineData("postgresql://user:secret@127.0.0.1:1/db", "postgresql://user:***@127.0.0.1:1/db")]
    [InlineData("sqlite:/var/lib/virtflow/pass word.db", "sqlite:/var/lib/virtflow/pass word.db")]
    public void A_whole_connection_string_hides_the_secret_to_the_next_separator(string spec, string expected) =>
        Assert.Equal(expected, SecretRedactor.RedactConnectionString(spec));

    [Theory]
    [InlineData("step bypass=1 completed")]
    [InlineData("mail ada@example.org about /srv/passwords/readme")]
    [InlineData("amqp://127.0.0.1:5672/ and user@host")]
    [InlineData("")]
    public void Text_without_a_secret_is_unchanged(string text) => Assert.Equal(text, SecretRedactor.Redact(text));

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var once = SecretRedactor.Redact("store Host=h;Password=\"a;b\", bus amqp://u:p@h/");
        Assert.Equal("store Host=h;Password=***, bus amqp://u:***@h/", once);
        Assert.Equal(once, SecretRedactor.Redact(once));
    }
}
