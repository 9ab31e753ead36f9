// Request capture (telemetry.tracing.capture) through the real gateway, in-process and as
// gatehoused: a captured request reaches the engine's traceBatch with its body and unredacted
// credentials, and never the OTLP export nor the access log, whichever way the gateway runs.
#include "testgateway.h"
#include "testupstream.h"

#include "otlpcollector.h"

#include "engine/gatewayengine.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

// Markers no other byte of the test contains: found anywhere, they leaked.
const QByteArray kBodyMarker = "captured-body-7f3a91";
const QByteArray kQueryMarker = "query-secret-55e2";
const QByteArray kHeaderMarker = "header-secret-c01d";
const QByteArray kClientSpan = "b7ad6b7169203331";

QByteArray modeTraceId()
{
    QByteArray id("5555651916cd43dd8448eb211c80319c");
    id[0] = currentGatewayMode() == GatewayMode::InProcess ? 'a' : 'b';
    return id;
}

} // namespace

class tst_Capture : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();
    void capturedBodyNeverLeavesTheEngine();
    void nothingIsCapturedWhenOff();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    // POST /pets/items/ITEM with the markers in its query, a header and its body.
    HttpResponse post(const QByteArray &traceId, const QByteArray &item);
    // The record of `traceId` among the spy's batches, or a record with an empty method.
    static TraceRecord findRecord(const QSignalSpy &batches, const QByteArray &traceId);

    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    OtlpCollector m_collector;
};

void tst_Capture::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_collector.listen());
    const QByteArray sections = "telemetry:\n"
                                "  accessLog: {enabled: true, path: access.log}\n"
                                "  tracing:\n"
                                "    samplingRatio: 1.0\n"
                                "    capture: {enabled: true, maxBodyBytes: 4096}\n"
                                "    otlp:\n"
                                "      endpoint: " + m_collector.url() + "\n"
                                "      batchSize: 1\n";
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml(sections)));
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"),
                            apiYaml(QStringLiteral("Pets"), QStringLiteral("/pets"), m_upstream.url(),
                                    {QStringLiteral("/items/{id} GET POST")})));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Capture::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

HttpResponse tst_Capture::post(const QByteArray &traceId, const QByteArray &item)
{
    return httpRequest(gateway().httpPort(), "POST", "/pets/items/" + item + "?token=" + kQueryMarker,
                       {{"traceparent", "00-" + traceId + "-" + kClientSpan + "-01"},
                        {"X-Session-Token", kHeaderMarker},
                        {"Content-Type", "application/json"}},
                       "{\"note\": \"" + kBodyMarker + "\"}");
}

TraceRecord tst_Capture::findRecord(const QSignalSpy &batches, const QByteArray &traceId)
{
    for (const QList<QVariant> &args : batches) {
        for (const TraceRecord &t : args.at(0).value<QList<TraceRecord>>()) {
            if (t.traceId.toHex() == traceId)
                return t;
        }
    }
    return {};
}

void tst_Capture::capturedBodyNeverLeavesTheEngine()
{
    std::unique_ptr<QSignalSpy> batches;
    if (gateway().mode() == GatewayMode::InProcess) {
        // A traceBatch receiver, as the workbench's Traces dock: the only one captures are for.
        batches = std::make_unique<QSignalSpy>(gateway().engine(), &GatewayEngine::traceBatch);
        QTest::qWait(250);   // a drain turns capture on for the rings
    }
    const QByteArray traceId = modeTraceId();
    // An item per mode: both gateways write the project's one access log.
    const QByteArray item = gateway().mode() == GatewayMode::InProcess ? "1" : "2";
    const HttpResponse r = post(traceId, item);
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains(kBodyMarker));   // the upstream's echo: the response carries it too

    if (batches) {
        TraceRecord found;
        QTRY_VERIFY_WITH_TIMEOUT(!(found = findRecord(*batches, traceId)).method.isEmpty(), 5'000);
        QVERIFY(found.capture.present);
        QCOMPARE(found.capture.target, "/pets/items/" + item + "?token=" + kQueryMarker);
        QVERIFY(found.target.contains("REDACTED"));   // the record's own target stays redacted
        QVERIFY(found.capture.requestBody.isWhole());
        QVERIFY(found.capture.requestBody.bytes.contains(kBodyMarker));
        QVERIFY(found.capture.responseBody.bytes.contains(kBodyMarker));
        bool headerFound = false;
        for (const TraceHeaderField &f : std::as_const(found.capture.requestHeaders))
            headerFound = headerFound || f.value == kHeaderMarker;
        QVERIFY(headerFound);
    }

    // The trace is exported (so its export was built from the captured record) ...
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        for (const CollectedRequest &c : m_collector.requests()) {
            if (c.body.contains(traceId))
                return true;
        }
        return false;
    }(), 15'000);
    // ... and no export carries what was captured.
    for (const CollectedRequest &c : m_collector.requests()) {
        for (const QByteArray &marker : {kBodyMarker, kQueryMarker, kHeaderMarker})
            QVERIFY2(!c.body.contains(marker), marker.constData());
    }
    // The access log line is written, without any of it.
    QFile log(m_project.filePath(QStringLiteral("access.log")));
    QByteArray all;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        if (!log.open(QIODevice::ReadOnly))
            return false;
        all = log.readAll();
        log.close();
        return all.contains("/pets/items/" + item);
    }(), 10'000);
    for (const QByteArray &marker : {kBodyMarker, kQueryMarker, kHeaderMarker})
        QVERIFY2(!all.contains(marker), marker.constData());
}

void tst_Capture::nothingIsCapturedWhenOff()
{
    if (gateway().mode() != GatewayMode::InProcess)
        QSKIP("traceBatch is the in-process engine's signal");
    GatewayEngine *engine = gateway().engine();
    QVERIFY(engine->captureBodyBytes() == 4096);
    // Connected before the reload: the new config has no exporter, so from then on the rings
    // keep records only for a traceBatch receiver, and only once a drain has seen one.
    QSignalSpy batches(engine, &GatewayEngine::traceBatch);
    // gatehouse.yaml's capture off, nothing forcing it: records come without a capture.
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("telemetry:\n  tracing: {samplingRatio: 1.0}\n")));
    QCOMPARE(gateway().reload().status, 200);
    QCOMPARE(engine->captureBodyBytes(), qint64(0));
    QTest::qWait(250);   // a drain after the reload
    QByteArray traceId("6666651916cd43dd8448eb211c80319c");
    QCOMPARE(post(traceId, "3").status, 200);
    TraceRecord found;
    QTRY_VERIFY_WITH_TIMEOUT(!(found = findRecord(batches, traceId)).method.isEmpty(), 5'000);
    QVERIFY(!found.capture.present);
    QVERIFY(found.capture.requestBody.bytes.isEmpty());
    // The workbench's switch turns it on over the project's setting, at its default cap.
    engine->setCaptureForced(true);
    QCOMPARE(engine->captureBodyBytes(), qint64(64 * 1024));
    QTest::qWait(250);   // the next drain hands it to the rings
    traceId = "7777651916cd43dd8448eb211c80319c";
    QCOMPARE(post(traceId, "3").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!(found = findRecord(batches, traceId)).method.isEmpty(), 5'000);
    QVERIFY(found.capture.present);
    QVERIFY(found.capture.requestBody.bytes.contains(kBodyMarker));
    engine->setCaptureForced(false);
}

QTEST_GUILESS_MAIN(tst_Capture)
#include "tst_capture.moc"
