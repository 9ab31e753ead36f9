// Tracing through the real gateway (in-process and gatehoused): traceparent continued, replaced
// when malformed (never forwarded) or started, tracestate kept; Server-Timing with the phases;
// spans exported over OTLP/HTTP JSON to a collector on a loopback port, parsed with protobuf into
// ExportTraceServiceRequest and checked for their nesting; the engine's traceBatch with redacted
// headers.
#include "testgateway.h"
#include "testupstream.h"

#include "otlpcollector.h"

#include "engine/gatewayengine.h"
#include "security/passwordhash.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

const QByteArray kTraceId = "0af7651916cd43dd8448eb211c80319c";
const QByteArray kClientSpan = "b7ad6b7169203331";

QByteArray vaultDocument(const QString &upstream)
{
    return QStringLiteral(R"(openapi: 3.0.3
info: {title: Vault, version: '1.0'}
x-gatehouse-basePath: /vault
servers: [{url: '%1'}]
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
security: [{basicAuth: []}]
paths:
  /read:
    get: {responses: {'200': {description: ok}}}
)").arg(upstream).toUtf8();
}

// A trace id of its own per gateway mode: both gateways export to the same collector.
QByteArray modeTraceId(const char *base)
{
    QByteArray id(base);
    id[0] = currentGatewayMode() == GatewayMode::InProcess ? 'a' : 'b';
    return id;
}

// "00-<32>-<16>-<2>" with lowercase hex: the upstream must only ever see such a value.
bool isWellFormedTraceparent(const QByteArray &v)
{
    static const QRegularExpression re(QStringLiteral("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$"));
    return re.match(QString::fromLatin1(v)).hasMatch() && !v.contains("-00000000000000000000000000000000-")
           && !v.contains("-0000000000000000-");
}

} // namespace

class tst_Tracing : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void validTraceparentIsContinued();
    void malformedTraceparentIsReplaced_data();
    void malformedTraceparentIsReplaced();
    void traceIsStartedWithoutOne();
    void unsampledCallerIsFollowed();
    void serverTimingHasThePhases();
    void spansAreExportedAndNested();
    void traceBatchHasRedactedHeaders();
    void ringCapacityChangesWhileRunning();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    HttpResponse get(const QByteArray &target, const FieldPairs &headers = {});
    // The spans of `traceId` the collector got so far (canonical proto3 JSON objects).
    QList<QJsonObject> exportedSpans(const QByteArray &traceId);

    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    OtlpCollector m_collector;
    std::unique_ptr<OtlpProtos> m_protos;
};

void tst_Tracing::initTestCase()
{
    m_protos = std::make_unique<OtlpProtos>(qEnvironmentVariable("GATEHOUSE_CORPUS") + QStringLiteral("/proto/otlp"));
    QVERIFY2(m_protos->isValid(), qPrintable(m_protos->errors()));
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_collector.listen());
    const QString hash = hashPasswordWithSalt("reader-pw", "0123456789abcdef", 1000);
    const QByteArray sections = "security:\n"
                                "  users:\n"
                                "    - name: reader\n"
                                "      passwordHash: '" + hash.toUtf8() + "'\n"
                                "telemetry:\n"
                                "  tracing:\n"
                                "    samplingRatio: 1.0\n"
                                "    serverTiming: true\n"
                                "    serviceName: traced-gateway\n"
                                "    otlp:\n"
                                "      endpoint: " + m_collector.url() + "\n"
                                "      headers: {x-tenant: acme}\n"
                                "      batchSize: 8\n";
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml(sections)));
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"),
                            apiYaml(QStringLiteral("Pets"), QStringLiteral("/pets"), m_upstream.url(),
                                    {QStringLiteral("/items/{id} GET")})));
    QVERIFY(m_project.write(QStringLiteral("apis/vault.yaml"), vaultDocument(m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Tracing::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

HttpResponse tst_Tracing::get(const QByteArray &target, const FieldPairs &headers)
{
    return httpRequest(gateway().httpPort(), "GET", target, headers);
}

QList<QJsonObject> tst_Tracing::exportedSpans(const QByteArray &traceId)
{
    QList<QJsonObject> spans;
    for (const CollectedRequest &r : m_collector.requests()) {
        QString error;
        const auto message = m_protos->parse(r.body, error);
        if (!message) {
            qWarning("an export does not parse: %s", qPrintable(error));
            continue;
        }
        const QJsonObject request = QJsonDocument::fromJson(OtlpProtos::toJson(*message)).object();
        for (const QJsonValue &rs : request[QLatin1String("resourceSpans")].toArray()) {
            for (const QJsonValue &ss : rs[QLatin1String("scopeSpans")].toArray()) {
                for (const QJsonValue &s : ss[QLatin1String("spans")].toArray()) {
                    if (s[QLatin1String("traceId")].toString().toLatin1() == traceId)
                        spans.append(s.toObject());
                }
            }
        }
    }
    return spans;
}

void tst_Tracing::validTraceparentIsContinued()
{
    const QByteArray parent = "00-" + kTraceId + "-" + kClientSpan + "-01";
    const HttpResponse r = get("/pets/items/1", {{"traceparent", parent}, {"tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"}});
    QCOMPARE(r.status, 200);
    const RecordedRequest up = m_upstream.lastRequest();
    QCOMPARE(up.headerCount("traceparent"), 1);
    const QByteArray sent = up.header("traceparent");
    QVERIFY2(isWellFormedTraceparent(sent), sent.constData());
    QCOMPARE(sent.sliced(3, 32), kTraceId);          // the same trace
    QVERIFY(sent.sliced(36, 16) != kClientSpan);     // the gateway's span is the parent now
    QVERIFY(sent.endsWith("-01"));
    QCOMPARE(up.header("tracestate"), QByteArray("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
}

void tst_Tracing::malformedTraceparentIsReplaced_data()
{
    QTest::addColumn<QByteArray>("traceparent");
    QTest::newRow("upper-case hex") << QByteArray("00-" + kTraceId.toUpper() + "-" + kClientSpan + "-01");
    QTest::newRow("an all-zero trace id") << QByteArray("00-00000000000000000000000000000000-" + kClientSpan + "-01");
    QTest::newRow("version ff") << QByteArray("ff-" + kTraceId + "-" + kClientSpan + "-01");
    QTest::newRow("garbage") << QByteArray("hello; rm -rf /");
    QTest::newRow("version 00 with more after the flags") << QByteArray("00-" + kTraceId + "-" + kClientSpan + "-01-x");
}

void tst_Tracing::malformedTraceparentIsReplaced()
{
    QFETCH(QByteArray, traceparent);
    const HttpResponse r = get("/pets/items/2", {{"traceparent", traceparent}, {"tracestate", "congo=t61rcWkgMzE"}});
    QCOMPARE(r.status, 200);
    const RecordedRequest up = m_upstream.lastRequest();
    QCOMPARE(up.headerCount("traceparent"), 1);
    const QByteArray sent = up.header("traceparent");
    QVERIFY2(isWellFormedTraceparent(sent), sent.constData());
    QVERIFY(sent != traceparent);
    QVERIFY(!sent.contains(kClientSpan));
    QCOMPARE(up.headerCount("tracestate"), 0);   // it belonged to the refused trace
}

void tst_Tracing::traceIsStartedWithoutOne()
{
    QCOMPARE(get("/pets/items/3").status, 200);
    const QByteArray first = m_upstream.lastRequest().header("traceparent");
    QVERIFY2(isWellFormedTraceparent(first), first.constData());
    QVERIFY(first.endsWith("-01"));   // samplingRatio 1.0
    QCOMPARE(get("/pets/items/3").status, 200);
    const QByteArray second = m_upstream.lastRequest().header("traceparent");
    QVERIFY(first.sliced(3, 32) != second.sliced(3, 32));   // a new trace per request
}

void tst_Tracing::unsampledCallerIsFollowed()
{
    const QByteArray traceId = modeTraceId("1111651916cd43dd8448eb211c80319c");
    QCOMPARE(get("/pets/items/4", {{"traceparent", "00-" + traceId + "-" + kClientSpan + "-00"}}).status, 200);
    const QByteArray sent = m_upstream.lastRequest().header("traceparent");
    QCOMPARE(sent.sliced(3, 32), traceId);
    QVERIFY(sent.endsWith("-00"));
    // A sampled request sent afterwards is exported; the unsampled one never is.
    const QByteArray marker = modeTraceId("2222651916cd43dd8448eb211c80319c");
    QCOMPARE(get("/pets/items/5", {{"traceparent", "00-" + marker + "-" + kClientSpan + "-01"}}).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!exportedSpans(marker).isEmpty(), 15'000);
    QVERIFY(exportedSpans(traceId).isEmpty());
}

void tst_Tracing::serverTimingHasThePhases()
{
    const HttpResponse ok = get("/vault/read", {{"Authorization", basicAuthorization("reader", "reader-pw")}});
    QCOMPARE(ok.status, 200);
    const QByteArray timing = ok.header("server-timing");
    QVERIFY2(timing.contains("authn;dur="), timing.constData());
    QVERIFY2(timing.contains("upstream;dur="), timing.constData());
    QVERIFY2(timing.contains("total;dur="), timing.constData());
    // The gateway's own answers carry it too.
    const HttpResponse refused = get("/vault/read", {{"Authorization", basicAuthorization("reader", "wrong")}});
    QCOMPARE(refused.status, 401);
    QVERIFY2(refused.header("server-timing").contains("authn;dur="), refused.header("server-timing").constData());
}

void tst_Tracing::spansAreExportedAndNested()
{
    const QByteArray traceId = modeTraceId("3333651916cd43dd8448eb211c80319c");
    const HttpResponse r = get("/vault/read", {{"traceparent", "00-" + traceId + "-" + kClientSpan + "-01"},
                                               {"Authorization", basicAuthorization("reader", "reader-pw")}});
    QCOMPARE(r.status, 200);
    QList<QJsonObject> spans;
    QTRY_VERIFY_WITH_TIMEOUT((spans = exportedSpans(traceId)).size() >= 3, 15'000);
    QJsonObject server;
    QHash<QString, QJsonObject> byName;
    for (const QJsonObject &s : std::as_const(spans)) {
        if (s[QLatin1String("kind")].toString() == QLatin1String("SPAN_KIND_SERVER"))
            server = s;
        byName.insert(s[QLatin1String("name")].toString(), s);
    }
    QVERIFY(!server.isEmpty());
    QCOMPARE(server[QLatin1String("name")].toString(), QStringLiteral("GET /vault/read"));
    QCOMPARE(server[QLatin1String("parentSpanId")].toString().toLatin1(), kClientSpan);
    const QString serverId = server[QLatin1String("spanId")].toString();
    QVERIFY2(byName.contains(QStringLiteral("authentication")), qPrintable(QStringList(byName.keys()).join(u',')));
    QCOMPARE(byName[QStringLiteral("authentication")][QLatin1String("parentSpanId")].toString(), serverId);
    QVERIFY(byName.contains(QStringLiteral("upstream")));
    const QJsonObject upstream = byName[QStringLiteral("upstream")];
    QCOMPARE(upstream[QLatin1String("kind")].toString(), QStringLiteral("SPAN_KIND_CLIENT"));
    QCOMPARE(upstream[QLatin1String("parentSpanId")].toString(), serverId);
    // The traceparent the upstream got names the upstream span as its parent.
    QCOMPARE(m_upstream.lastRequest().header("traceparent").sliced(36, 16),
             upstream[QLatin1String("spanId")].toString().toLatin1());
    QVERIFY(byName.contains(QStringLiteral("upstream.first_byte")));
    QCOMPARE(byName[QStringLiteral("upstream.first_byte")][QLatin1String("parentSpanId")].toString(),
             upstream[QLatin1String("spanId")].toString());
    QVERIFY(byName.contains(QStringLiteral("respond")));
    // The collector got the configured header; the caller is on the server span.
    QCOMPARE(m_collector.requests().constLast().header("x-tenant"), QByteArray("acme"));
    const QByteArray serverJson = QJsonDocument(server).toJson(QJsonDocument::Compact);
    QVERIFY2(serverJson.contains("\"enduser.id\"") && serverJson.contains("\"reader\""), serverJson.constData());
    QVERIFY(!serverJson.contains("reader-pw"));
}

void tst_Tracing::traceBatchHasRedactedHeaders()
{
    if (gateway().mode() != GatewayMode::InProcess)
        QSKIP("traceBatch is the in-process engine's signal");
    QSignalSpy batches(gateway().engine(), &GatewayEngine::traceBatch);
    const QByteArray traceId = modeTraceId("4444651916cd43dd8448eb211c80319c");
    const HttpResponse r = get("/vault/read", {{"traceparent", "00-" + traceId + "-" + kClientSpan + "-01"},
                                               {"Authorization", basicAuthorization("reader", "reader-pw")},
                                               {"Cookie", "session=abc"},
                                               {"X-API-Key", "k3y"}});
    QCOMPARE(r.status, 200);
    TraceRecord found;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        for (const QList<QVariant> &args : std::as_const(batches)) {
            for (const TraceRecord &t : args.at(0).value<QList<TraceRecord>>()) {
                if (t.traceId.toHex() == traceId) {
                    found = t;
                    return true;
                }
            }
        }
        return false;
    }(), 5'000);
    QCOMPARE(found.status, 200);
    QCOMPARE(found.route, QByteArray("/vault/read"));
    QCOMPARE(found.caller, QStringLiteral("reader"));
    QCOMPARE(spanIdHex(found.parentSpanId), kClientSpan);
    QHash<QByteArray, QByteArray> headers;
    for (const TraceHeaderField &f : std::as_const(found.requestHeaders))
        headers.insert(f.name.toLower(), f.value);
    QCOMPARE(headers.value("authorization"), QByteArray("REDACTED"));
    QCOMPARE(headers.value("cookie"), QByteArray("REDACTED"));
    QCOMPARE(headers.value("x-api-key"), QByteArray("REDACTED"));
    QVERIFY(headers.contains("traceparent"));
    QVERIFY(!found.spans.isEmpty());
    QVERIFY(found.durationNs > 0);
}

void tst_Tracing::ringCapacityChangesWhileRunning()
{
    if (gateway().mode() != GatewayMode::InProcess)
        QSKIP("setTraceRingCapacity is the in-process engine's");
    GatewayEngine *engine = gateway().engine();
    QSignalSpy batches(engine, &GatewayEngine::traceBatch);
    engine->setTraceRingCapacity(0);   // rings off: nothing recorded
    QCOMPARE(engine->traceRingCapacity(), 0);
    spin(300);   // the workers switched rings; what they recorded before is drained
    batches.clear();
    QCOMPARE(get("/pets/items/6").status, 200);
    spin(400);
    QCOMPARE(batches.size(), 0);
    engine->setTraceRingCapacity(-1);   // back to ringBuffer.capacity
    QCOMPARE(engine->traceRingCapacity(), 2000);
    spin(300);
    QCOMPARE(get("/pets/items/7").status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(batches.size() > 0, 5'000);
}

QTEST_GUILESS_MAIN(tst_Tracing)
#include "tst_tracing.moc"
