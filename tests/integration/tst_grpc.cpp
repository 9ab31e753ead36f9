// gRPC through gatehoused with real peers (grpcfixture.h): python3-grpcio clients running the
// interop cases of grpc/testing/test.proto through the gateway (with a JWT service, a method
// scope, a throttled method, a service whose upstream is down), and the gateway's own errors as
// trailers-only answers seen frame by frame by a raw HTTP/2 caller.
#include "grpcfixture.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Grpc : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { m_peers.stop(); }

    void interopCaseThroughGatehoused_data();
    void interopCaseThroughGatehoused();
    void gatewayErrorsAreTrailersOnly_data();
    void gatewayErrorsAreTrailersOnly();
    void http11CallerGetsAClearRefusal();

private:
    GrpcPeers m_peers;
};

void tst_Grpc::initTestCase()
{
    if (const QString missing = GrpcPeers::missing(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    m_peers.start();
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
    QStringList args{m_peers.script(), QStringLiteral("client"), QStringLiteral("--protos"), grpcProtoCorpus(),
                     QStringLiteral("--target"), QStringLiteral("127.0.0.1:%1").arg(m_peers.gateway().httpPort()),
                     QStringLiteral("--case"), interopCase};
    if (withToken)
        args << QStringLiteral("--token") << QString::fromLatin1(m_peers.token());
    const ProcessResult r = runProcess(m_peers.python(), args, 60'000);
    QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe() + QString::fromUtf8(m_peers.gateway().daemonStderr().right(4000))));
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
        authorization = "Bearer " + m_peers.token();
    if (!authorization.isEmpty())
        fields.append({"authorization", authorization});
    QVERIFY(m_peers.runCall(call, path, fields));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QVERIFY2(call.headEndedStream, "a trailers-only answer is one HEADERS frame");
    QCOMPARE(fieldValue(call.head, "content-type"), QByteArray("application/grpc"));
    QCOMPARE(fieldValue(call.head, "grpc-status"), grpcStatus);
    QVERIFY(!fieldValue(call.head, "grpc-message").isEmpty());
    QVERIFY(call.body.isEmpty());
}

void tst_Grpc::http11CallerGetsAClearRefusal()
{
    // gRPC needs HTTP/2 end to end; an HTTP/1.1 caller is told so instead of the upstream being
    // sent a request it cannot read.
    const HttpResponse r = httpRequest(m_peers.gateway().httpPort(), "POST", "/grpc.testing.TestService/EmptyCall",
                                       {{"content-type", "application/grpc"}}, QByteArray(5, '\0'));
    QCOMPARE(r.status, 501);
    QVERIFY2(r.body.contains("HTTP/2 clients only"), r.body.constData());
}

QTEST_GUILESS_MAIN(tst_Grpc)
#include "tst_grpc.moc"
