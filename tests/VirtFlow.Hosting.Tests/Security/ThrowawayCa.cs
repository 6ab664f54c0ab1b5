using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// A CA made with openssl for one test run, a server certificate it signed for <c>localhost</c> and <c>127.0.0.1</c>, and a
/// second, unrelated CA (the wrong one); the folder belongs to the <c>rabbitmq</c> user so the broker can read the key.
/// </summary>
internal sealed record ThrowawayCa(string CaFile, string CertFile, string KeyFile, string OtherCaFile)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public RabbitMqTlsFiles Files => new(CaFile, CertFile, KeyFile);

    public static ThrowawayCa Create()
    {
        var dir = TestDirs.Create("tls");
        string P(string name) => Path.Combine(dir, name);
        void OpenSsl(params string[] args) => ServerCommands.RunChecked("openssl", args, Limit);
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", P("ca.key"), "-out", P("ca.pem"), "-days", "2", "-subj", "/CN=VirtFlow test CA");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", P("server.key"), "-out", P("server.csr"), "-subj", "/CN=localhost");
        File.WriteAllText(P("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        OpenSsl("x509", "-req", "-in", P("server.csr"), "-CA", P("ca.pem"), "-CAkey", P("ca.key"), "-CAcreateserial", "-out", P("server.pem"), "-days", "2", "-extfile", P("ext.cnf"));
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", P("other.key"), "-out", P("other-ca.pem"), "-days", "2", "-subj", "/CN=Some other CA");
        ServerCommands.GiveTo(dir, "rabbitmq");
        return new ThrowawayCa(P("ca.pem"), P("server.pem"), P("server.key"), P("other-ca.pem"));
    }
}
