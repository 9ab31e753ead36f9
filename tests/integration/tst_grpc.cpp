// gRPC through gatehoused with real peers: a python3-grpcio server implementing the interop
// TestService (grpc/testing/test.proto), python3-grpcio clients running the interop cases through
// the gateway, a JWT-protected service with a method scope, a throttled method, a service whose
// upstream is down, and raw HTTP/2 calls (the gateway's own HTTP/2 client code as the caller) that
// look at the frames: trailers-only answers and grpc-timeout enforced by the gateway. gRPC-Web
// calls come from a hand-written http.client caller (grpcwebclient.py) over HTTP/1.1 and from the
// raw HTTP/2 caller.
#include "h2testupstream.h"
#include "testgateway.h"

#include "proxy/grpcweb.h"
#include "proxy/http2upstreampool.h"
#include "security/jwk.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstring>

using namespace Gatehouse;
using namespace Gatehouse::Test;

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

QString protoCorpus()
{
    return qEnvironmentVariable("GATEHOUSE_CORPUS") + QStringLiteral("/proto/grpc-proto");
}

// A unary gRPC call as raw HTTP/2 frames: what the gateway answered, field by field.
class RawCall final : public Http2UpstreamHandler
{
public:
    Http2UpstreamConnection *connection = nullptr;
    qint32 stream = -1;
    int status = 0;
    bool headEndedStream = false;
    FieldPairs head;
    FieldPairs trailers;
    QByteArray body;
    QByteArray request;
    qsizetype sent = 0;
    bool holdOpen = false;   // the request body never ends
    bool complete = false;
    bool failed = false;
    quint32 resetCode = 0;

    void h2UpstreamHead(int s, const Http1FieldList &fields, bool endStream) override
    {
        status = s;
        headEndedStream = endStream;
        for (const Http1Field &f : fields)
            head.append({f.name.toByteArray(), f.value.toByteArray()});
    }
    void h2UpstreamData(QByteArrayView data) override
    {
        body.append(data.data(), data.size());
        connection->consume(stream, data.size());
    }
    void h2UpstreamComplete(const Http1FieldList &fields) override
    {
        for (const Http1Field &f : fields)
            trailers.append({f.name.toByteArray(), f.value.toByteArray()});
        complete = true;
    }
    void h2UpstreamFailed(UpstreamFailure, quint32 errorCode, bool) override
    {
        failed = true;
        resetCode = errorCode;
    }
    qint64 h2UpstreamRequestBody(std::span<char> buffer, bool &end) override
    {
        const qint64 n = std::min<qint64>(qint64(buffer.size()), request.size() - sent);
        std::memcpy(buffer.data(), request.constData() + sent, size_t(n));
        sent += n;
        if (holdOpen && n == 0)
            return -1;
        end = !holdOpen && sent == request.size();
        return n;
    }
    // grpc-status from the trailers, or from the head of a trailers-only answer.
    QByteArray grpcStatus() const
    {
        const QByteArray t = fieldValue(trailers, "grpc-status");
        return t.isNull() ? fieldValue(head, "grpc-status") : t;
    }
};

} // namespace

class tst_Grpc : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void interopCaseThroughGatehoused_data();
    void interopCaseThroughGatehoused();
    void gatewayErrorsAreTrailersOnly_data();
    void gatewayErrorsAreTrailersOnly();
    void grpcTimeoutIsEnforcedByTheGateway();
    void clientResetCancelsTheUpstreamCall();
    void endpointTimeoutEndsASlowCall();
    void http11CallerGetsAClearRefusal();
    void upstreamResetReachesTheClient();
    void grpcWebCallThroughGatehoused_data();
    void grpcWebCallThroughGatehoused();
    void grpcWebFromAnHttp2Client_data();
    void grpcWebFromAnHttp2Client();
    void browsersPreflightAndReadTheStatus();

private:
    QByteArray probeStats();
    QByteArray mint(const QString &scope);
    bool runCall(RawCall &call, QByteArrayView path, const QList<Http1Field> &fields);

    QString m_python = QStringLiteral("/usr/bin/python3");
    QString m_script;
    QProcess m_server;
    quint16 m_serverPort = 0;
    TestProject m_project;
    std::unique_ptr<GatewayUnderTest> m_gateway;
    std::shared_ptr<EVP_PKEY> m_issuerKey;
    QByteArray m_token;          // scope "echo:read"
    std::unique_ptr<Http2UpstreamPool> m_client;
    H2TestUpstream m_resetter;   // resets every stream with CANCEL
};

QByteArray tst_Grpc::mint(const QString &scope)
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

void tst_Grpc::initTestCase()
{
    if (!QFile::exists(m_python))
        QSKIP("/usr/bin/python3 with python3-grpcio is needed");
    const ProcessResult probe = runProcess(m_python, {QStringLiteral("-c"), QStringLiteral("import grpc, jwt")});
    if (probe.exitCode != 0)
        QSKIP("python3-grpcio and python3-jwt are needed (scripts/deps.sh test)");
    QVERIFY(m_project.isValid());
    m_script = sourceDir() + QStringLiteral("/tests/integration/grpcinterop.py");

    // The interop server.
    m_server.start(m_python, {m_script, QStringLiteral("server"), QStringLiteral("--protos"), protoCorpus()});
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
        QFile f(protoCorpus() + QStringLiteral("/grpc/testing/") + name);
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

void tst_Grpc::cleanupTestCase()
{
    m_client.reset();
    if (m_gateway)
        m_gateway->stop();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.closeWriteChannel();   // the server ends when its stdin does
        if (!m_server.waitForFinished(5'000))
            m_server.kill();
    }
}

void tst_Grpc::interopCaseThroughGatehoused_data()
{
    QTest::addColumn<QString>("interopCase");
    QTest::addColumn<bool>("withToken");
    const struct
    {
        const char *row;
        const char *name;
        bool token;
    } rows[] = {
        {"an empty unary call returns an empty message", "empty_unary", false},
        {"a large unary call carries 271828 bytes up and 314159 down", "large_unary", false},
        {"client streaming aggregates four messages", "client_streaming", false},
        {"server streaming returns four sized messages", "server_streaming", false},
        {"ping-pong alternates four messages each way", "ping_pong", false},
        {"an empty stream ends with no message", "empty_stream", false},
        {"custom metadata, -bin included, comes back as headers and trailers", "custom_metadata", false},
        {"the upstream's status code and message pass through", "status_code_and_message", false},
        {"a status message with whitespace and non-ASCII passes through", "special_status_message", false},
        {"a method the upstream lacks is UNIMPLEMENTED from the upstream", "unimplemented_method", false},
        {"a service the upstream lacks is UNIMPLEMENTED from the upstream", "unimplemented_service", false},
        {"a method the proto lacks is UNIMPLEMENTED from the gateway", "unknown_method", false},
        {"a call cancelled after it began is cancelled", "cancel_after_begin", false},
        {"a call cancelled after the first response is cancelled", "cancel_after_first_response", false},
        {"a sleeping server times out with DEADLINE_EXCEEDED", "timeout_on_sleeping_server", false},
        {"a JWT service without a token is UNAUTHENTICATED", "secure_without_token", false},
        {"a JWT service with a token answers", "secure_with_token", true},
        {"a method scope the token lacks is PERMISSION_DENIED", "secure_without_scope", true},
        {"a service whose upstream is down is UNAVAILABLE", "upstream_down", false},
        {"a method over its throttling tier is RESOURCE_EXHAUSTED", "throttled_method", false},
    };
    for (const auto &r : rows)
        QTest::newRow(r.row) << QString::fromLatin1(r.name) << r.token;
}

void tst_Grpc::interopCaseThroughGatehoused()
{
    QFETCH(QString, interopCase);
    QFETCH(bool, withToken);
    QStringList args{m_script, QStringLiteral("client"), QStringLiteral("--protos"), protoCorpus(),
                     QStringLiteral("--target"), QStringLiteral("127.0.0.1:%1").arg(m_gateway->httpPort()),
                     QStringLiteral("--case"), interopCase};
    if (withToken)
        args << QStringLiteral("--token") << QString::fromLatin1(m_token);
    const ProcessResult r = runProcess(m_python, args, 60'000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe() + QString::fromUtf8(m_gateway->daemonStderr().right(4000))));
}

bool tst_Grpc::runCall(RawCall &call, QByteArrayView path, const QList<Http1Field> &fields)
{
    const UpstreamTarget gateway = UpstreamEndpoint::fromUrl(
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_gateway->httpPort())), UpstreamProtocol::Http2);
    call.connection = m_client->acquire(gateway);
    QList<Http1Field> all{{"content-type", "application/grpc"}, {"te", "trailers"}};
    all += fields;
    call.stream = call.connection->openStream(&call, "POST", path, all, true);
    return call.stream > 0 && waitUntil([&] { return call.complete || call.failed; }, 30'000);
}

void tst_Grpc::gatewayErrorsAreTrailersOnly_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("grpcStatus");
    QTest::newRow("no token is 16 UNAUTHENTICATED") << QByteArray("/gatehouse.test.SecureService/Echo")
                                                    << QByteArray() << QByteArray("16");
    QTest::newRow("a forged token is 16 UNAUTHENTICATED") << QByteArray("/gatehouse.test.SecureService/Echo")
                                                          << QByteArray("Bearer a.b.c") << QByteArray("16");
    QTest::newRow("a missing scope is 7 PERMISSION_DENIED")
        << QByteArray("/gatehouse.test.SecureService/AdminEcho") << QByteArray("token") << QByteArray("7");
    QTest::newRow("an unknown method is 12 UNIMPLEMENTED") << QByteArray("/grpc.testing.TestService/Nope")
                                                           << QByteArray() << QByteArray("12");
    QTest::newRow("an unknown service is 12 UNIMPLEMENTED") << QByteArray("/no.Such/Method")
                                                            << QByteArray() << QByteArray("12");
    QTest::newRow("an upstream that is down is 14 UNAVAILABLE")
        << QByteArray("/gatehouse.test.DownService/EmptyCall") << QByteArray() << QByteArray("14");
}

void tst_Grpc::gatewayErrorsAreTrailersOnly()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, grpcStatus);
    RawCall call;
    call.request = QByteArray(5, '\0');   // an empty message: no compression, length 0
    QList<Http1Field> fields;
    if (authorization == "token")
        authorization = "Bearer " + m_token;
    if (!authorization.isEmpty())
        fields.append({"authorization", authorization});
    QVERIFY(runCall(call, path, fields));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QVERIFY2(call.headEndedStream, "a trailers-only answer is one HEADERS frame");
    QCOMPARE(fieldValue(call.head, "content-type"), QByteArray("application/grpc"));
    QCOMPARE(fieldValue(call.head, "grpc-status"), grpcStatus);
    QVERIFY(!fieldValue(call.head, "grpc-message").isEmpty());
    QVERIFY(call.body.isEmpty());
}

void tst_Grpc::grpcTimeoutIsEnforcedByTheGateway()
{
    // CacheableUnaryCall sleeps 5 s in the interop server; the caller allows 300 ms. The raw
    // caller keeps no deadline of its own: DEADLINE_EXCEEDED can only come from the gateway.
    RawCall call;
    call.request = QByteArray(5, '\0');
    QVERIFY(runCall(call, "/grpc.testing.TestService/CacheableUnaryCall", {{"grpc-timeout", "300m"}}));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QCOMPARE(call.grpcStatus(), QByteArray("4"));
    // The connection to the gateway goes on: the next call on it works.
    RawCall next;
    const QByteArray emptyMessage(5, '\0');
    next.request = emptyMessage;
    QVERIFY(runCall(next, "/grpc.testing.TestService/EmptyCall", {}));
    QCOMPARE(next.grpcStatus(), QByteArray("0"));
    QCOMPARE(next.body, emptyMessage);
}

QByteArray tst_Grpc::probeStats()
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

void tst_Grpc::clientResetCancelsTheUpstreamCall()
{
    const QByteArray before = probeStats();
    QVERIFY2(before.startsWith("active=0 cancelled="), before.constData());
    const int cancelledBefore = before.mid(before.indexOf("cancelled=") + 10).toInt();
    RawCall call;
    call.request = QByteArray(5, '\0');
    call.holdOpen = true;
    const UpstreamTarget gateway = UpstreamEndpoint::fromUrl(
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_gateway->httpPort())), UpstreamProtocol::Http2);
    call.connection = m_client->acquire(gateway);
    const QList<Http1Field> fields{{"content-type", "application/grpc"}, {"te", "trailers"}};
    call.stream = call.connection->openStream(&call, "POST", "/gatehouse.test.Probe/Hold", fields, true);
    QVERIFY(call.stream > 0);
    QByteArray stats;
    for (int i = 0; i < 100 && !(stats = probeStats()).startsWith("active=1 "); ++i)
        spin(100);   // polling a peer's state, not timing it: the bound is a hang guard
    QVERIFY2(stats.startsWith("active=1 "), stats.constData());
    // The client resets its stream at the gateway: the upstream's call must end as cancelled.
    call.connection->cancelStream(call.stream);
    const QByteArray expected = "active=0 cancelled=" + QByteArray::number(cancelledBefore + 1);
    for (int i = 0; i < 100 && (stats = probeStats()) != expected; ++i)
        spin(100);
    QCOMPARE(stats, expected);
}

void tst_Grpc::endpointTimeoutEndsASlowCall()
{
    // SlowService's endpoints say timeout_ms: 300; its upstream sleeps 5 s; the caller sets no
    // grpc-timeout. The gateway gives up and answers DEADLINE_EXCEEDED.
    RawCall call;
    call.request = QByteArray(5, '\0');
    QVERIFY(runCall(call, "/gatehouse.test.SlowService/Sleep", {}));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QCOMPARE(call.grpcStatus(), QByteArray("4"));
    QVERIFY(call.headEndedStream);
}

void tst_Grpc::http11CallerGetsAClearRefusal()
{
    // gRPC needs HTTP/2 end to end; an HTTP/1.1 caller is told so instead of the upstream being
    // sent a request it cannot read.
    const HttpResponse r = httpRequest(m_gateway->httpPort(), "POST", "/grpc.testing.TestService/EmptyCall",
                                       {{"content-type", "application/grpc"}}, QByteArray(5, '\0'));
    QCOMPARE(r.status, 501);
    QVERIFY2(r.body.contains("HTTP/2 clients only"), r.body.constData());
}

void tst_Grpc::upstreamResetReachesTheClient()
{
    // The upstream cancels the call with RST_STREAM(CANCEL): the client's stream at the gateway
    // is reset with the same code.
    RawCall call;
    call.request = QByteArray(5, '\0');
    QVERIFY(runCall(call, "/gatehouse.test.ResetService/Call", {}));
    QVERIFY(call.failed);
    QCOMPARE(call.resetCode, Http2ClientSession::kCancel);
    QVERIFY(m_resetter.streamsReset() >= 1);
}

void tst_Grpc::grpcWebCallThroughGatehoused_data()
{
    QTest::addColumn<QString>("webCase");
    QTest::addColumn<bool>("text");
    QTest::addColumn<bool>("withToken");
    const struct
    {
        const char *row;
        const char *name;
        bool text;
        bool token;
    } rows[] = {
        {"a unary call answers one message and a trailer frame", "unary", false, false},
        {"a unary call in text mode answers base64", "unary", true, false},
        {"server streaming arrives message by message", "server_streaming", false, false},
        {"server streaming in text mode arrives message by message", "server_streaming", true, false},
        {"the upstream's error status reaches the caller", "error_status", false, false},
        {"the upstream's error status reaches a text-mode caller", "error_status", true, false},
        {"metadata comes back as headers and in the trailer frame", "metadata", false, false},
        {"a JWT service without a token is 16 UNAUTHENTICATED", "secure_without_token", false, false},
        {"a JWT service with a token answers", "secure_with_token", true, true},
        {"a method scope the token lacks is 7 PERMISSION_DENIED", "secure_without_scope", false, true},
        {"an unknown method is 12 UNIMPLEMENTED", "unknown_method", false, false},
        {"an upstream that is down is 14 UNAVAILABLE", "upstream_down", true, false},
        {"a passed grpc-timeout is 4 DEADLINE_EXCEEDED", "deadline", false, false},
        {"a body that is not base64 is 13 INTERNAL", "bad_base64", true, false},
        {"a message declaring 4 GiB is 8 RESOURCE_EXHAUSTED", "huge_length", false, false},
        {"a body cut inside a frame is 13 INTERNAL", "truncated_frame", false, false},
    };
    for (const auto &r : rows)
        QTest::newRow(r.row) << QString::fromLatin1(r.name) << r.text << r.token;
}

void tst_Grpc::grpcWebCallThroughGatehoused()
{
    QFETCH(QString, webCase);
    QFETCH(bool, text);
    QFETCH(bool, withToken);
    QStringList args{sourceDir() + QStringLiteral("/tests/integration/grpcwebclient.py"), QStringLiteral("--protos"),
                     protoCorpus(), QStringLiteral("--port"), QString::number(m_gateway->httpPort()),
                     QStringLiteral("--case"), webCase};
    if (text)
        args << QStringLiteral("--text");
    if (withToken)
        args << QStringLiteral("--token") << QString::fromLatin1(m_token);
    const ProcessResult r = runProcess(m_python, args, 60'000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe() + QString::fromUtf8(m_gateway->daemonStderr().right(4000))));
}

void tst_Grpc::grpcWebFromAnHttp2Client_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("grpcStatus");
    QTest::newRow("binary mode over HTTP/2 ends with a trailer frame, not HTTP/2 trailers")
        << QByteArray("application/grpc-web+proto") << QByteArray("/grpc.testing.TestService/EmptyCall") << QByteArray("0");
    QTest::newRow("text mode over HTTP/2 answers base64")
        << QByteArray("application/grpc-web-text") << QByteArray("/grpc.testing.TestService/EmptyCall") << QByteArray("0");
    QTest::newRow("an unknown method over HTTP/2 is a gRPC-Web trailers-only 12")
        << QByteArray("application/grpc-web-text") << QByteArray("/grpc.testing.TestService/Nope") << QByteArray("12");
}

void tst_Grpc::grpcWebFromAnHttp2Client()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, grpcStatus);
    const bool text = contentType.contains("-text");
    const QByteArray emptyMessage(5, '\0');
    RawCall call;
    call.request = text ? emptyMessage.toBase64() : emptyMessage;
    const UpstreamTarget gateway = UpstreamEndpoint::fromUrl(
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_gateway->httpPort())), UpstreamProtocol::Http2);
    call.connection = m_client->acquire(gateway);
    const QList<Http1Field> fields{{"content-type", contentType}, {"x-grpc-web", "1"}};
    call.stream = call.connection->openStream(&call, "POST", path, fields, true);
    QVERIFY(call.stream > 0);
    QVERIFY(waitUntil([&] { return call.complete || call.failed; }, 30'000));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QCOMPARE(fieldValue(call.head, "content-type"), contentType);
    QVERIFY2(call.trailers.isEmpty(), "gRPC-Web has no HTTP trailers");
    if (grpcStatus != "0") {
        QVERIFY(call.headEndedStream);
        QCOMPARE(fieldValue(call.head, "grpc-status"), grpcStatus);
        return;
    }
    QByteArray body = call.body;
    if (text) {
        Base64StreamDecoder decoder;   // padded per message: one base64 text after another
        body.clear();
        QVERIFY(decoder.decode(call.body, body) && decoder.atEnd());
    }
    QVERIFY2(body.startsWith(emptyMessage + '\x80'), body.toHex().constData());
    QVERIFY2(body.mid(10).contains("grpc-status: 0\r\n"), body.constData());
}

void tst_Grpc::browsersPreflightAndReadTheStatus()
{
    // grpc.cors: the preflight is answered by the gateway, and a refused call's answer lets the
    // page read grpc-status and grpc-message.
    const QByteArray path = "/gatehouse.test.SecureService/Echo";
    const HttpResponse preflight = httpRequest(
        m_gateway->httpPort(), "OPTIONS", path,
        {{"origin", "https://app.example"}, {"access-control-request-method", "POST"},
         {"access-control-request-headers", "content-type,x-grpc-web,x-user-agent,authorization"}});
    QVERIFY2(preflight.status == 200 || preflight.status == 204, preflight.body.constData());
    QCOMPARE(fieldValue(preflight.headers, "access-control-allow-origin"), QByteArray("https://app.example"));
    QVERIFY(fieldValue(preflight.headers, "access-control-allow-methods").contains("POST"));
    QVERIFY(fieldValue(preflight.headers, "access-control-allow-headers").contains("x-grpc-web"));
    QCOMPARE(fieldValue(preflight.headers, "access-control-max-age"), QByteArray("600"));

    const HttpResponse refused = httpRequest(m_gateway->httpPort(), "POST", path,
                                             {{"origin", "https://app.example"},
                                              {"content-type", "application/grpc-web-text"}},
                                             QByteArray(5, '\0').toBase64());
    QCOMPARE(refused.status, 200);
    QCOMPARE(fieldValue(refused.headers, "grpc-status"), QByteArray("16"));
    QCOMPARE(fieldValue(refused.headers, "content-type"), QByteArray("application/grpc-web-text"));
    QCOMPARE(fieldValue(refused.headers, "access-control-allow-origin"), QByteArray("https://app.example"));
    const QByteArray exposed = fieldValue(refused.headers, "access-control-expose-headers");
    QVERIFY2(exposed.contains("grpc-status") && exposed.contains("grpc-message"), exposed.constData());

    // A call that goes through carries them too.
    const HttpResponse answered = httpRequest(m_gateway->httpPort(), "POST", "/grpc.testing.TestService/EmptyCall",
                                              {{"origin", "https://app.example"},
                                               {"content-type", "application/grpc-web"}},
                                              QByteArray(5, '\0'));
    QCOMPARE(answered.status, 200);
    QCOMPARE(fieldValue(answered.headers, "access-control-allow-origin"), QByteArray("https://app.example"));
    QVERIFY(answered.body.startsWith(QByteArray(5, '\0') + '\x80'));
}

QTEST_GUILESS_MAIN(tst_Grpc)
#include "tst_grpc.moc"
