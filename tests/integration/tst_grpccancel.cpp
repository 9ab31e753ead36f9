// gRPC deadlines and cancellation through gatehoused (grpcfixture.h), seen by a raw HTTP/2
// caller: grpc-timeout and the endpoints' timeout_ms enforced by the gateway, a client's reset
// ending the upstream call (counted by the interop server's Probe), an upstream's reset reaching
// the client with its code.
#include "grpcfixture.h"

#include <QTest>

#include <algorithm>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_GrpcCancel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { m_peers.stop(); }

    void grpcTimeoutIsEnforcedByTheGateway();
    void clientResetCancelsTheUpstreamCall();
    void endpointTimeoutEndsASlowCall();
    void upstreamResetReachesTheClient();
    void expiredGrpcTimeoutCancelsTheUpstreamStream();
    void upstreamGoAwayMidCall();

private:
    GrpcPeers m_peers;
};

void tst_GrpcCancel::initTestCase()
{
    if (const QString missing = GrpcPeers::missing(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    m_peers.start();
}

void tst_GrpcCancel::grpcTimeoutIsEnforcedByTheGateway()
{
    // CacheableUnaryCall sleeps 5 s in the interop server; the caller allows 300 ms. The raw
    // caller keeps no deadline of its own: DEADLINE_EXCEEDED can only come from the gateway.
    RawCall call;
    call.request = QByteArray(5, '\0');
    QVERIFY(m_peers.runCall(call, "/grpc.testing.TestService/CacheableUnaryCall", {{"grpc-timeout", "300m"}}));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QCOMPARE(call.grpcStatus(), QByteArray("4"));
    // The connection to the gateway goes on: the next call on it works.
    RawCall next;
    const QByteArray emptyMessage(5, '\0');
    next.request = emptyMessage;
    QVERIFY(m_peers.runCall(next, "/grpc.testing.TestService/EmptyCall", {}));
    QCOMPARE(next.grpcStatus(), QByteArray("0"));
    QCOMPARE(next.body, emptyMessage);
}

void tst_GrpcCancel::clientResetCancelsTheUpstreamCall()
{
    const QByteArray before = m_peers.probeStats();
    QVERIFY2(before.startsWith("active=0 cancelled="), before.constData());
    const int cancelledBefore = before.mid(before.indexOf("cancelled=") + 10).toInt();
    RawCall call;
    call.request = QByteArray(5, '\0');
    call.holdOpen = true;
    call.connection = m_peers.gatewayConnection();
    const QList<Http1Field> fields{{"content-type", "application/grpc"}, {"te", "trailers"}};
    call.stream = call.connection->openStream(&call, "POST", "/gatehouse.test.Probe/Hold", fields, true);
    QVERIFY(call.stream > 0);
    QByteArray stats;
    for (int i = 0; i < 100 && !(stats = m_peers.probeStats()).startsWith("active=1 "); ++i)
        spin(100);   // polling a peer's state, not timing it: the bound is a hang guard
    QVERIFY2(stats.startsWith("active=1 "), stats.constData());
    // The client resets its stream at the gateway: the upstream's call must end as cancelled.
    call.connection->cancelStream(call.stream);
    const QByteArray expected = "active=0 cancelled=" + QByteArray::number(cancelledBefore + 1);
    for (int i = 0; i < 100 && (stats = m_peers.probeStats()) != expected; ++i)
        spin(100);
    QCOMPARE(stats, expected);
}

void tst_GrpcCancel::endpointTimeoutEndsASlowCall()
{
    // SlowService's endpoints say timeout_ms: 300; its upstream sleeps 5 s; the caller sets no
    // grpc-timeout. The gateway gives up and answers DEADLINE_EXCEEDED.
    RawCall call;
    call.request = QByteArray(5, '\0');
    QVERIFY(m_peers.runCall(call, "/gatehouse.test.SlowService/Sleep", {}));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QCOMPARE(call.grpcStatus(), QByteArray("4"));
    QVERIFY(call.headEndedStream);
}

void tst_GrpcCancel::upstreamResetReachesTheClient()
{
    // The upstream cancels the call with RST_STREAM(CANCEL): the client's stream at the gateway
    // is reset with the same code.
    RawCall call;
    call.request = QByteArray(5, '\0');
    QVERIFY(m_peers.runCall(call, "/gatehouse.test.ResetService/Call", {}));
    QVERIFY(call.failed);
    QCOMPARE(call.resetCode, Http2ClientSession::kCancel);
    QVERIFY(m_peers.resetter().streamsReset() >= 1);
}

void tst_GrpcCancel::expiredGrpcTimeoutCancelsTheUpstreamStream()
{
    // A client-streaming call that never ends its request, allowed 300 ms: the gateway answers
    // DEADLINE_EXCEEDED and cancels the upstream's stream (the Probe counts it as cancelled).
    const QByteArray before = m_peers.probeStats();
    QVERIFY2(before.startsWith("active=0 cancelled="), before.constData());
    const int cancelledBefore = before.mid(before.indexOf("cancelled=") + 10).toInt();
    RawCall call;
    call.request = QByteArray(5, '\0');
    call.holdOpen = true;
    QVERIFY(m_peers.runCall(call, "/gatehouse.test.Probe/Hold", {{"grpc-timeout", "300m"}}));
    QVERIFY(call.complete);
    QCOMPARE(call.status, 200);
    QCOMPARE(call.grpcStatus(), QByteArray("4"));
    const QByteArray expected = "active=0 cancelled=" + QByteArray::number(cancelledBefore + 1);
    QByteArray stats;
    for (int i = 0; i < 100 && (stats = m_peers.probeStats()) != expected; ++i)
        spin(100);   // polling a peer's state, not timing it: the bound is a hang guard
    QCOMPARE(stats, expected);
    call.connection->cancelStream(call.stream);   // the caller's side of the held request
}

void tst_GrpcCancel::upstreamGoAwayMidCall()
{
    // Three unary calls wait at the upstream; it sends GOAWAY naming the first as the last it
    // processes. The first completes on the draining connection; the two above the last stream
    // id were not processed, and the gateway kept their messages: it sends them again on a new
    // connection, where they complete. The client never sees the GOAWAY.
    H2TestUpstream &upstream = m_peers.drainer();
    upstream.holdRequests(true);
    const int connectionsBefore = upstream.connectionsAccepted();
    RawCall calls[3];
    for (RawCall &call : calls) {
        call.request = QByteArray(5, '\0');
        call.connection = m_peers.gatewayConnection();
        const QList<Http1Field> fields{{"content-type", "application/grpc"}, {"te", "trailers"}};
        call.stream = call.connection->openStream(&call, "POST", "/gatehouse.test.GoAwayService/Call", fields, true);
        QVERIFY(call.stream > 0);
    }
    QVERIFY(waitUntil([&] { return upstream.heldStreams().size() == 3; }, 10'000));
    QCOMPARE(upstream.connectionsAccepted(), connectionsBefore + 1);   // one connection carries all three
    const QList<qint32> held = upstream.heldStreams();
    upstream.goAway(held.first());
    // The refused two arrive again, on a second connection (the first still holds its three).
    QVERIFY(waitUntil([&] { return upstream.heldStreams().size() == 5; }, 10'000));
    QCOMPARE(upstream.connectionsAccepted(), connectionsBefore + 2);
    for (const RawCall &call : calls)
        QVERIFY(!call.complete && !call.failed);
    // The first connection answers its processed call (and closes: nothing else is left on it).
    upstream.releaseHeld(held.first());
    QVERIFY(waitUntil([&] { return calls[0].complete || calls[0].failed; }, 10'000));
    upstream.holdRequests(false);
    upstream.releaseHeld();
    QVERIFY(waitUntil([&] {
        return std::all_of(std::begin(calls), std::end(calls), [](const RawCall &c) { return c.complete || c.failed; });
    }, 10'000));
    for (const RawCall &call : calls) {
        QVERIFY(call.complete);
        QCOMPARE(call.status, 200);
        QCOMPARE(call.body, QByteArray("ok"));
    }

    RawCall next;
    next.request = QByteArray(5, '\0');
    QVERIFY(m_peers.runCall(next, "/gatehouse.test.GoAwayService/Call", {}));
    QVERIFY(next.complete);
    QCOMPARE(next.status, 200);
    QCOMPARE(upstream.connectionsAccepted(), connectionsBefore + 2);   // not on the drained one
}

QTEST_GUILESS_MAIN(tst_GrpcCancel)
#include "tst_grpccancel.moc"
