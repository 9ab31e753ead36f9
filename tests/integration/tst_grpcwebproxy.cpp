// gRPC-Web through gatehoused (grpcfixture.h): a hand-written http.client caller
// (grpcwebclient.py, HTTP/1.1, binary and text mode) against the interop server, gRPC-Web over
// HTTP/2 from the raw caller, and browsers' CORS preflights and status fields (grpc.cors).
#include "grpcfixture.h"

#include "proxy/grpcweb.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_GrpcWebProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { m_peers.stop(); }

    void grpcWebCallThroughGatehoused_data();
    void grpcWebCallThroughGatehoused();
    void grpcWebFromAnHttp2Client_data();
    void grpcWebFromAnHttp2Client();
    void browsersPreflightAndReadTheStatus();

private:
    GrpcPeers m_peers;
};

void tst_GrpcWebProxy::initTestCase()
{
    if (const QString missing = GrpcPeers::missing(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    m_peers.start();
}

void tst_GrpcWebProxy::grpcWebCallThroughGatehoused_data()
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

void tst_GrpcWebProxy::grpcWebCallThroughGatehoused()
{
    QFETCH(QString, webCase);
    QFETCH(bool, text);
    QFETCH(bool, withToken);
    QStringList args{qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/integration/grpcwebclient.py"), QStringLiteral("--protos"),
                     grpcProtoCorpus(), QStringLiteral("--port"), QString::number(m_peers.gateway().httpPort()),
                     QStringLiteral("--case"), webCase};
    if (text)
        args << QStringLiteral("--text");
    if (withToken)
        args << QStringLiteral("--token") << QString::fromLatin1(m_peers.token());
    const ProcessResult r = runProcess(m_peers.python(), args, 60'000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe() + QString::fromUtf8(m_peers.gateway().daemonStderr().right(4000))));
}

void tst_GrpcWebProxy::grpcWebFromAnHttp2Client_data()
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

void tst_GrpcWebProxy::grpcWebFromAnHttp2Client()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, grpcStatus);
    const bool text = contentType.contains("-text");
    const QByteArray emptyMessage(5, '\0');
    RawCall call;
    call.request = text ? emptyMessage.toBase64() : emptyMessage;
    call.connection = m_peers.gatewayConnection();
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

void tst_GrpcWebProxy::browsersPreflightAndReadTheStatus()
{
    // grpc.cors: the preflight is answered by the gateway, and a refused call's answer lets the
    // page read grpc-status and grpc-message.
    const QByteArray path = "/gatehouse.test.SecureService/Echo";
    const HttpResponse preflight = httpRequest(
        m_peers.gateway().httpPort(), "OPTIONS", path,
        {{"origin", "https://app.example"}, {"access-control-request-method", "POST"},
         {"access-control-request-headers", "content-type,x-grpc-web,x-user-agent,authorization"}});
    QVERIFY2(preflight.status == 200 || preflight.status == 204, preflight.body.constData());
    QCOMPARE(fieldValue(preflight.headers, "access-control-allow-origin"), QByteArray("https://app.example"));
    QVERIFY(fieldValue(preflight.headers, "access-control-allow-methods").contains("POST"));
    QVERIFY(fieldValue(preflight.headers, "access-control-allow-headers").contains("x-grpc-web"));
    QCOMPARE(fieldValue(preflight.headers, "access-control-max-age"), QByteArray("600"));

    const HttpResponse refused = httpRequest(m_peers.gateway().httpPort(), "POST", path,
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
    const HttpResponse answered = httpRequest(m_peers.gateway().httpPort(), "POST", "/grpc.testing.TestService/EmptyCall",
                                              {{"origin", "https://app.example"},
                                               {"content-type", "application/grpc-web"}},
                                              QByteArray(5, '\0'));
    QCOMPARE(answered.status, 200);
    QCOMPARE(fieldValue(answered.headers, "access-control-allow-origin"), QByteArray("https://app.example"));
    QVERIFY(answered.body.startsWith(QByteArray(5, '\0') + '\x80'));
}

QTEST_GUILESS_MAIN(tst_GrpcWebProxy)
#include "tst_grpcwebproxy.moc"
