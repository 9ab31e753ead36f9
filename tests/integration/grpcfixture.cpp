// The gRPC proxy tests' peers: the interop server, the resetting upstream, gatehoused and its
// project, JWTs of the test issuer, raw HTTP/2 calls.
#include "grpcfixture.h"

#include "security/jwk.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <openssl/pem.h>

namespace Gatehouse::Test {

namespace {

QByteArray privatePem(EVP_PKEY *key)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(n));
}

QString sourceDir()
{
    return qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
}

} // namespace

QString grpcProtoCorpus()
{
    return qEnvironmentVariable("GATEHOUSE_CORPUS") + QStringLiteral("/proto/grpc-proto");
}

QString GrpcPeers::missing()
{
    const QString python = QStringLiteral("/usr/bin/python3");
    if (!QFile::exists(python))
        return QStringLiteral("/usr/bin/python3 with python3-grpcio is needed");
    if (runProcess(python, {QStringLiteral("-c"), QStringLiteral("import grpc, jwt")}).exitCode != 0)
        return QStringLiteral("python3-grpcio and python3-jwt are needed (scripts/deps.sh test)");
    return {};
}

QByteArray GrpcPeers::mint(const QString &scope)
{
    const ProcessResult r = runProcess(
        m_python,
        {QStringLiteral("-c"),
         QStringLiteral("import sys, time, jwt\nnow = int(time.time())\n"
                        "print(jwt.encode({'iss': 'https://py.example/', 'sub': 'grpc-test', 'aud': 'grpc',"
                        " 'scope': '%1', 'iat': now, 'exp': now + 600}, sys.stdin.read(), algorithm='RS256',"
                        " headers={'kid': 'py1'}))\n")
             .arg(scope)},
        30'000, privatePem(m_issuerKey.get()));
    if (r.exitCode != 0)
        qWarning("python3: %s", r.err.constData());
    return r.out.trimmed();
}

void GrpcPeers::start()
{
    QVERIFY(m_project.isValid());
    m_script = sourceDir() + QStringLiteral("/tests/integration/grpcinterop.py");

    // The interop server.
    endsWithTest(m_server);
    m_server.start(m_python, {m_script, QStringLiteral("server"), QStringLiteral("--protos"), grpcProtoCorpus()});
    QVERIFY(m_server.waitForStarted(10'000));
    QByteArray line;
    QVERIFY2(waitUntil([&] {
                 line += m_server.readAllStandardOutput();
                 return line.contains('\n');
             }, 30'000),
             m_server.readAllStandardError().constData());
    QVERIFY2(line.startsWith("PORT "), line.constData());
    m_serverPort = quint16(line.mid(5).trimmed().toUInt());
    QVERIFY(m_serverPort > 0);

    // The project: the interop protos, every service open; a JWT service; a service that is down.
    for (const QString &name : {QStringLiteral("empty.proto"), QStringLiteral("messages.proto"), QStringLiteral("test.proto")}) {
        QFile f(grpcProtoCorpus() + QStringLiteral("/grpc/testing/") + name);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        QByteArray text = f.readAll();
        if (name == u"test.proto") {
            text.replace("import \"grpc/testing/empty.proto\";",
                         "import \"grpc/testing/empty.proto\";\nimport \"gatehouse/options.proto\";");
            QByteArray out;
            for (const QByteArray &l : text.split('\n')) {
                out += l + '\n';
                if (l.startsWith("service ") && l.endsWith('{'))
                    out += "  option (gatehouse.service) = { security: [NONE] };\n";
            }
            text = out;
        }
        QVERIFY(m_project.write(QStringLiteral("protos/grpc/testing/") + name, text));
    }
    const QByteArray upstream = "http://127.0.0.1:" + QByteArray::number(m_serverPort);
    QVERIFY(m_resetter.start());
    m_resetter.resetStreamsWith(Http2ClientSession::kCancel);
    QVERIFY(m_drainer.start());
    QVERIFY(m_project.write(QStringLiteral("protos/gatehouse_test/secure.proto"),
                            "syntax = \"proto3\";\n"
                            "package gatehouse.test;\n"
                            "import \"gatehouse/options.proto\";\n"
                            "import \"grpc/testing/empty.proto\";\n"
                            "import \"grpc/testing/messages.proto\";\n"
                            "service SecureService {\n"
                            "  option (gatehouse.service) = { security: [JWT] };\n"
                            "  rpc Echo(grpc.testing.SimpleRequest) returns (grpc.testing.SimpleResponse);\n"
                            "  rpc AdminEcho(grpc.testing.SimpleRequest) returns (grpc.testing.SimpleResponse) {\n"
                            "    option (gatehouse.method) = { scopes: \"echo:admin\" };\n"
                            "  }\n"
                            "}\n"
                            "service Probe {\n"
                            "  option (gatehouse.service) = { security: [NONE] };\n"
                            "  rpc Hold(stream grpc.testing.SimpleRequest) returns (stream grpc.testing.SimpleResponse);\n"
                            "}\n"
                            "service SlowService {\n"
                            "  option (gatehouse.service) = { security: [NONE] endpoints { urls: \"" + upstream
                                + "\" timeout_ms: 300 } };\n"
                            "  rpc Sleep(grpc.testing.SimpleRequest) returns (grpc.testing.SimpleResponse);\n"
                            "}\n"
                            "service ResetService {\n"
                            "  option (gatehouse.service) = { security: [NONE] endpoints { urls: \"http://127.0.0.1:"
                                + QByteArray::number(m_resetter.port()) + "\" } };\n"
                            "  rpc Call(grpc.testing.Empty) returns (grpc.testing.Empty);\n"
                            "}\n"
                            "service GoAwayService {\n"
                            "  option (gatehouse.service) = { security: [NONE] endpoints { urls: \"http://127.0.0.1:"
                                + QByteArray::number(m_drainer.port()) + "\" } };\n"
                            "  rpc Call(grpc.testing.Empty) returns (grpc.testing.Empty);\n"
                            "}\n"
                            "service ThrottledService {\n"
                            "  option (gatehouse.service) = { security: [NONE] throttling_tier: \"Hundred\" };\n"
                            "  rpc Echo(grpc.testing.SimpleRequest) returns (grpc.testing.SimpleResponse) {\n"
                            "    option (gatehouse.method) = { throttling_tier: \"Two\" };\n"
                            "  }\n"
                            "}\n"
                            "service DownService {\n"
                            "  option (gatehouse.service) = { security: [NONE] endpoints { urls: \"http://127.0.0.1:"
                                + QByteArray::number(unusedPort()) + "\" } };\n"
                            "  rpc EmptyCall(grpc.testing.Empty) returns (grpc.testing.Empty);\n"
                            "}\n"));
    m_issuerKey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)), EVP_PKEY_free);
    const QJsonObject jwk = *publicJwk(m_issuerKey.get(), QStringLiteral("py1"), JwsAlgorithm::RS256);
    QVERIFY(m_project.write(QStringLiteral("keys/py-jwks.json"),
                            QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}}).toJson()));
    QByteArray endpoints;
    for (const char *service : {"grpc.testing.TestService", "grpc.testing.UnimplementedService",
                                "grpc.testing.ReconnectService", "grpc.testing.LoadBalancerStatsService",
                                "grpc.testing.HookService", "grpc.testing.XdsUpdateHealthService",
                                "grpc.testing.XdsUpdateClientConfigureService", "gatehouse.test.SecureService",
                                "gatehouse.test.Probe", "gatehouse.test.ThrottledService"})
        endpoints += QByteArray("    ") + service + ": " + upstream + "\n";
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("security:\n"
                                         "  issuers:\n"
                                         "    - name: py\n"
                                         "      issuer: https://py.example/\n"
                                         "      audiences: [grpc]\n"
                                         "      jwksFile: keys/py-jwks.json\n"
                                         "throttling:\n"
                                         "  tiers:\n"
                                         "    Hundred: {count: 100, unit: hour}\n"
                                         "    Two: {count: 2, unit: hour}\n"
                                         "grpc:\n"
                                         "  cors:\n"
                                         "    allowOrigins: [https://app.example]\n"
                                         "    maxAge: 600s\n"
                                         "  endpoints:\n" + endpoints)));
    m_token = mint(QStringLiteral("echo:read"));
    QVERIFY(!m_token.isEmpty());

    m_gateway = std::make_unique<GatewayUnderTest>(GatewayMode::Daemon);
    QVERIFY2(m_gateway->start(m_project.path()), qPrintable(m_gateway->errorString()));

    m_client = std::make_unique<Http2UpstreamPool>();
    m_client->configure({}, {});
}

void GrpcPeers::stop()
{
    m_client.reset();
    if (m_gateway)
        m_gateway->stop();
    m_gateway.reset();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.closeWriteChannel();   // the server ends when its stdin does
        if (!m_server.waitForFinished(5'000))
            m_server.kill();
    }
}

Http2UpstreamConnection *GrpcPeers::gatewayConnection()
{
    const UpstreamTarget gateway = UpstreamEndpoint::fromUrl(
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_gateway->httpPort())), UpstreamProtocol::Http2);
    return m_client->acquire(gateway);
}

bool GrpcPeers::runCall(RawCall &call, QByteArrayView path, const QList<Http1Field> &fields)
{
    call.connection = gatewayConnection();
    QList<Http1Field> all{{"content-type", "application/grpc"}, {"te", "trailers"}};
    all += fields;
    call.stream = call.connection->openStream(&call, "POST", path, all, true);
    return call.stream > 0 && waitUntil([&] { return call.complete || call.failed; }, 30'000);
}

QByteArray GrpcPeers::probeStats()
{
    // Straight to the interop server: "active=N cancelled=M" in the SimpleResponse's username.
    RawCall call;
    call.request = QByteArray(5, '\0');
    const UpstreamTarget server = UpstreamEndpoint::fromUrl(
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_serverPort)), UpstreamProtocol::Http2);
    call.connection = m_client->acquire(server);
    const QList<Http1Field> fields{{"content-type", "application/grpc"}, {"te", "trailers"}};
    call.stream = call.connection->openStream(&call, "POST", "/gatehouse.test.Probe/Stats", fields, true);
    if (call.stream < 0 || !waitUntil([&] { return call.complete || call.failed; }, 10'000))
        return {};
    const qsizetype at = call.body.indexOf("active=");
    return at < 0 ? QByteArray() : call.body.mid(at);
}

} // namespace Gatehouse::Test
