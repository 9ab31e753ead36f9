// The JSON transcoding tests' peers: the python3-grpcio echo server, gatehoused, REST calls over
// HTTP/1.1, h2c and h2.
#include "transcodefixture.h"

#include <QFile>
#include <QStandardPaths>
#include <QTest>

namespace Gatehouse::Test {

const QList<QPair<TranscodeClient, QByteArray>> &transcodeClients()
{
    static const QList<QPair<TranscodeClient, QByteArray>> all{{TranscodeClient::Http11, "over HTTP/1.1"},
                                                               {TranscodeClient::H2c, "over h2c"},
                                                               {TranscodeClient::H2, "over h2 (ALPN)"}};
    return all;
}

void addTranscodeClientColumn()
{
    QTest::addColumn<TranscodeClient>("client");
    for (const auto &[client, name] : transcodeClients())
        QTest::newRow(name.constData()) << client;
}

QString TranscodeAnswer::describe() const
{
    return QString::number(status) + QStringLiteral(" over ") + QString::fromLatin1(version) + u' '
           + QString::fromUtf8(body.left(300));
}

TranscodeFixture::TranscodeFixture() = default;

TranscodeFixture::~TranscodeFixture()
{
    stop();
}

bool TranscodeFixture::start(QString &skip, QString &error)
{
    if (!QFile::exists(m_python)
        || runProcess(m_python, {QStringLiteral("-c"), QStringLiteral("import grpc")}).exitCode != 0) {
        skip = QStringLiteral("/usr/bin/python3 with python3-grpcio is needed (scripts/deps.sh test)");
        return false;
    }
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty()) {
        skip = QStringLiteral("curl is needed for the HTTP/2 rows (scripts/deps.sh test)");
        return false;
    }
    if (!m_project.isValid() || !m_dir.isValid()) {
        error = QStringLiteral("no temporary folder");
        return false;
    }
    const QString source = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
    const QString protoDir = source + QStringLiteral("/tests/integration/transcode");
    endsWithTest(m_server);
    m_server.start(m_python, {source + QStringLiteral("/tests/integration/transcodeecho.py"), QStringLiteral("--proto-dir"),
                              protoDir, QStringLiteral("--include"), source + QStringLiteral("/resources/proto")});
    if (!m_server.waitForStarted(10'000)) {
        error = QStringLiteral("transcodeecho.py did not start");
        return false;
    }
    QByteArray line;
    if (!waitUntil([&] {
            line += m_server.readAllStandardOutput();
            return line.contains('\n');
        }, 30'000) || !line.startsWith("PORT ")) {
        error = QString::fromUtf8(line + m_server.readAllStandardError());
        return false;
    }
    const QByteArray port = line.mid(5).trimmed();
    const QByteArray echo = readTestFile(protoDir + QStringLiteral("/echo_service.proto"));
    const QByteArray streams = readTestFile(protoDir + QStringLiteral("/stream_service.proto"));
    // A service with the default security (OAuth2/JWT): its REST bindings are protected alike.
    const QByteArray locked = "syntax = \"proto3\";\n"
                              "package gatehouse.test;\n"
                              "import \"google/api/annotations.proto\";\n"
                              "import \"echo_service.proto\";\n"
                              "service LockedEcho {\n"
                              "  rpc Echo(grpc.gateway.examples.internal.proto.examplepb.SimpleMessage)\n"
                              "      returns (grpc.gateway.examples.internal.proto.examplepb.SimpleMessage) {\n"
                              "    option (google.api.http) = { get: \"/v1/locked/{id}\" };\n"
                              "  }\n"
                              "}\n";
    const QByteArray upstream = "http://127.0.0.1:" + port + "\n";
    if (echo.isEmpty() || streams.isEmpty() || !m_project.write(QStringLiteral("protos/echo_service.proto"), echo)
        || !m_project.write(QStringLiteral("protos/stream_service.proto"), streams)
        || !m_project.write(QStringLiteral("protos/locked.proto"), locked)
        || !m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("grpc:\n"
                                         "  endpoints:\n"
                                         "    grpc.gateway.examples.internal.proto.examplepb.EchoService: " + upstream
                                         + "    gatehouse.test.LockedEcho: " + upstream
                                         + "    gatehouse.test.stream.Counter: " + upstream))) {
        error = QStringLiteral("the project cannot be written");
        return false;
    }
    m_gateway = std::make_unique<GatewayUnderTest>(GatewayMode::Daemon);
    if (!m_gateway->start(m_project.path())) {
        error = m_gateway->errorString();
        return false;
    }
    return true;
}

void TranscodeFixture::stop()
{
    if (m_gateway)
        m_gateway->stop();
    m_gateway.reset();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.closeWriteChannel();   // the server ends with its stdin
        if (!m_server.waitForFinished(5'000))
            m_server.kill();
    }
}

QString TranscodeFixture::url(TranscodeClient client, QByteArrayView target) const
{
    return (client == TranscodeClient::H2 ? QStringLiteral("https://127.0.0.1:%1").arg(m_gateway->httpsPort())
                                          : QStringLiteral("http://127.0.0.1:%1").arg(m_gateway->httpPort()))
           + QString::fromUtf8(target.data(), target.size());
}

// HTTP/2 through curl: h2c by prior knowledge, or h2 negotiated by ALPN on the TLS listener
// (whose certificate is self-signed).
TranscodeAnswer TranscodeFixture::call(TranscodeClient client, QByteArrayView method, QByteArrayView target,
                                       const FieldPairs &fields, const QByteArray &body)
{
    if (client == TranscodeClient::Http11) {
        const HttpResponse r = httpRequest(m_gateway->httpPort(), method, target, fields, body);
        return {r.status, r.header("content-type"), r.body, r.version.mid(5)};
    }
    const QString headers = m_dir.filePath(QStringLiteral("headers"));
    const QString out = m_dir.filePath(QStringLiteral("body"));
    QFile::remove(headers);
    QFile::remove(out);
    QStringList args{QStringLiteral("-sS"), QStringLiteral("-k"), QStringLiteral("-X"), QString::fromLatin1(method),
                     QStringLiteral("-D"), headers, QStringLiteral("-o"), out, QStringLiteral("-w"),
                     QStringLiteral("%{http_code} %{http_version}"),
                     client == TranscodeClient::H2c ? QStringLiteral("--http2-prior-knowledge") : QStringLiteral("--http2")};
    for (const auto &[name, value] : fields)
        args << QStringLiteral("-H") << QString::fromLatin1(name + ": " + value);
    if (!body.isEmpty())
        args << QStringLiteral("--data-binary") << QStringLiteral("@-");
    args << url(client, target);
    const ProcessResult p = runProcess(QStringLiteral("curl"), args, 60'000, body);
    TranscodeAnswer a;
    const QList<QByteArray> w = p.out.trimmed().split(' ');
    a.status = w.value(0).toInt();
    a.version = w.value(1);
    a.body = readTestFile(out);
    for (const QByteArray &line : readTestFile(headers).split('\n')) {
        if (line.toLower().startsWith("content-type:"))
            a.contentType = line.mid(13).trimmed();
    }
    return a;
}

} // namespace Gatehouse::Test
