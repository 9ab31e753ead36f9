// The capture of requests for Replay: the first N bytes of a body passing in pieces, the count of
// all of them, the end of the body, a gateway's answer replacing the upstream's, the record filled
// without a copy, and the ring letting go of captured bodies once drained.
#include "http/http1head.h"
#include "telemetry/requestcapture.h"
#include "telemetry/tracering.h"

#include <QTest>

using namespace Gatehouse;

class tst_RequestCapture : public QObject
{
    Q_OBJECT
private slots:
    void bodyIsCutAtTheCap_data();
    void bodyIsCutAtTheCap();
    void bufferNeverGrowsPastTheCap();
    void inactiveCaptureKeepsNothing();
    void gatewayAnswerReplacesTheUpstreamResponse();
    void recordGetsTheUnredactedRequest();
    void drainedRingHoldsNoCapturedBody();
};

void tst_RequestCapture::bodyIsCutAtTheCap_data()
{
    QTest::addColumn<qint64>("cap");
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<bool>("finished");
    QTest::addColumn<QByteArray>("kept");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<bool>("truncated");

    QTest::newRow("a body smaller than the cap is kept whole")
        << qint64(16) << QByteArrayList{"hello ", "world"} << true << QByteArray("hello world") << qint64(11) << false;
    QTest::newRow("a body of exactly the cap is whole, not truncated")
        << qint64(4) << QByteArrayList{"ab", "cd"} << true << QByteArray("abcd") << qint64(4) << false;
    QTest::newRow("a chunk crossing the cap is cut inside it")
        << qint64(5) << QByteArrayList{"abc", "defg", "hij"} << true << QByteArray("abcde") << qint64(10) << true;
    QTest::newRow("chunks after the cap are only counted")
        << qint64(2) << QByteArrayList{"ab", "cd", "ef"} << true << QByteArray("ab") << qint64(6) << true;
    QTest::newRow("an empty body is whole")
        << qint64(8) << QByteArrayList{} << true << QByteArray() << qint64(0) << false;
    QTest::newRow("a body whose end never came is not complete")
        << qint64(8) << QByteArrayList{"abc"} << false << QByteArray("abc") << qint64(3) << false;
}

void tst_RequestCapture::bodyIsCutAtTheCap()
{
    QFETCH(qint64, cap);
    QFETCH(QByteArrayList, chunks);
    QFETCH(bool, finished);
    QFETCH(QByteArray, kept);
    QFETCH(qint64, total);
    QFETCH(bool, truncated);

    CaptureBuffer buffer;
    buffer.begin(cap);
    for (const QByteArray &c : std::as_const(chunks))
        buffer.append(c);
    if (finished)
        buffer.finish();
    QCOMPARE(buffer.bytes(), kept);
    QCOMPARE(buffer.totalBytes(), total);
    QCOMPARE(buffer.isTruncated(), truncated);
    QCOMPARE(buffer.isComplete(), finished);
    // Reused for the next body: nothing of this one is left.
    buffer.begin(cap);
    QVERIFY(buffer.bytes().isEmpty());
    QCOMPARE(buffer.totalBytes(), qint64(0));
    QVERIFY(!buffer.isComplete());
}

void tst_RequestCapture::bufferNeverGrowsPastTheCap()
{
    CaptureBuffer buffer;
    const qint64 cap = 1000;
    buffer.begin(cap);
    const QByteArray chunk(7, 'x');
    for (int i = 0; i < 1000; ++i)   // 7000 bytes pass
        buffer.append(chunk);
    QCOMPARE(buffer.bytes().size(), cap);
    QCOMPARE(buffer.totalBytes(), qint64(7000));
    QVERIFY2(buffer.bytes().capacity() <= cap, qPrintable(QString::number(buffer.bytes().capacity())));
}

void tst_RequestCapture::inactiveCaptureKeepsNothing()
{
    RequestCapture capture;
    capture.begin(0);   // capture off
    QVERIFY(!capture.isActive());
    capture.requestBody("secret body");
    capture.requestComplete();
    capture.responseBody("answer");
    QVERIFY(capture.request().bytes().isEmpty());
    QVERIFY(capture.response().bytes().isEmpty());
    TraceCapture out;
    out.present = true;
    capture.fillRecord(out, "/a?x=1", nullptr);
    QVERIFY(!out.present);
    QVERIFY(out.target.isEmpty());
}

void tst_RequestCapture::gatewayAnswerReplacesTheUpstreamResponse()
{
    RequestCapture capture;
    capture.begin(64);
    Http1FieldList upstream;
    upstream.append("content-type", "text/plain");
    capture.responseFields(upstream);
    capture.responseBody("half of the upstream's");
    capture.gatewayAnswer({{"content-type", "application/json"}}, R"({"code":900908})");
    TraceCapture out;
    capture.fillRecord(out, "/", nullptr);
    QVERIFY(out.present);
    QCOMPARE(out.responseHeaders.size(), 1);
    QCOMPARE(out.responseHeaders.at(0).value, QByteArray("application/json"));
    QCOMPARE(out.responseBody.bytes, QByteArray(R"({"code":900908})"));
    QVERIFY(out.responseBody.isWhole());
}

void tst_RequestCapture::recordGetsTheUnredactedRequest()
{
    RequestCapture capture;
    capture.begin(4);
    capture.requestBody("ab");
    capture.requestBody("cdef");
    capture.requestComplete();
    capture.responseBody("ok");
    capture.responseComplete();
    Http1FieldList fields;
    fields.append("Authorization", "Bearer abc.def.ghi");
    fields.append("X-API-Key", "k3y");
    TraceCapture out;
    capture.fillRecord(out, "/pets?api_key=k3y", &fields);
    QVERIFY(out.present);
    QCOMPARE(out.target, QByteArray("/pets?api_key=k3y"));
    QCOMPARE(out.requestHeaders.size(), 2);
    QCOMPARE(out.requestHeaders.at(0).value, QByteArray("Bearer abc.def.ghi"));
    QCOMPARE(out.requestHeaders.at(1).value, QByteArray("k3y"));
    QCOMPARE(out.requestBody.bytes, QByteArray("abcd"));
    QCOMPARE(out.requestBody.totalBytes, qint64(6));
    QVERIFY(out.requestBody.complete);
    QVERIFY(out.requestBody.truncated());
    QVERIFY(!out.requestBody.isWhole());   // Replay refuses it
    QCOMPARE(out.responseBody.bytes, QByteArray("ok"));
    QVERIFY(out.responseBody.isWhole());
    // Filling ends the exchange's capture: later bytes go nowhere.
    QVERIFY(!capture.isActive());
}

void tst_RequestCapture::drainedRingHoldsNoCapturedBody()
{
    TraceRing ring(4);
    TraceRecord *slot = ring.slot();
    QVERIFY(slot);
    slot->method = "POST";
    slot->capture.present = true;
    slot->capture.requestBody.bytes = QByteArray(1000, 'b');
    slot->capture.requestBody.totalBytes = 1000;
    slot->capture.requestBody.complete = true;
    TraceRecord *first = slot;
    ring.push();
    QList<TraceRecord> out;
    QCOMPARE(ring.drainInto(out), 1);
    QCOMPARE(out.size(), 1);
    QVERIFY(out.at(0).capture.present);
    QCOMPARE(out.at(0).capture.requestBody.bytes.size(), 1000);
    QVERIFY(out.at(0).capture.requestBody.isWhole());
    // The slot let the body go (it is not kept for reuse as the other buffers are).
    QVERIFY(!first->capture.present);
    QCOMPARE(first->capture.requestBody.bytes.capacity(), 0);
    QCOMPARE(first->method, QByteArray("POST"));
}

QTEST_GUILESS_MAIN(tst_RequestCapture)
#include "tst_requestcapture.moc"
