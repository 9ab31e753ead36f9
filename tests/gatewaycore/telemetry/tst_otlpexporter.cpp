// The OTLP/HTTP JSON exporter: its JSON parses into ExportTraceServiceRequest of the OTLP protos
// (protobuf's JsonStringToMessage over the corpus' .proto files), and against a collector on a
// loopback port: batches, extra headers, retries on 503/429 and refused connections, no retry on
// 400, a full queue's drops counted.
#include "otlpcollector.h"

#include "telemetry/otlpexporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;
using namespace std::chrono_literals;

class tst_OtlpExporter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void jsonParsesAsExportTraceServiceRequest();
    void hostileStringsStayValidJson();
    void batchesReachTheCollectorWithHeaders();
    void retryableAnswersAreRetried_data();
    void retryableAnswersAreRetried();
    void badRequestIsNotRetried();
    void unreachableCollectorIsRetriedThenDropped();
    void fullQueueDropsAndCounts();
    void shutdownSendsWhatIsQueued();

private:
    static TraceRecord record(int i);
    static OtlpExporterOptions options(const QByteArray &url);
    std::unique_ptr<OtlpProtos> m_protos;
};

TraceRecord tst_OtlpExporter::record(int i)
{
    TraceIdGenerator ids(quint64(100 + i));
    TraceRecord r;
    r.traceId = ids.newTraceId();
    r.spanId = ids.newSpanId();
    r.parentSpanId = i % 2 ? ids.newSpanId() : 0;
    r.traceState = i % 2 ? QByteArray("congo=t61rcWkgMzE") : QByteArray();
    r.startUnixNs = 1'790'000'000'000'000'000 + i;
    r.durationNs = 2'500'000;
    r.protocol = "HTTP/1.1";
    r.method = "GET";
    r.target = "/petstore/pets/" + QByteArray::number(i) + "?api_key=secret";
    r.route = "/pets/{id}";
    r.api = "Petstore";
    r.caller = QStringLiteral("alice");
    r.peer = "127.0.0.1";
    r.status = i % 3 ? 200 : 503;
    r.upstream = "127.0.0.1:8080";
    TraceSpanRecord authn{TraceSpanKind::Filter, Phase::Authn, "authentication", ids.newSpanId(), -1, 1000, 40'000, false};
    TraceSpanRecord upstream{TraceSpanKind::Upstream, Phase::Upstream, "upstream", ids.newSpanId(), -1, 50'000, 2'000'000, i % 3 == 0};
    TraceSpanRecord firstByte{TraceSpanKind::UpstreamFirstByte, Phase::Upstream, "upstream.first_byte", ids.newSpanId(), 1, 60'000, 1'900'000, false};
    r.spans = {authn, upstream, firstByte};
    return r;
}

OtlpExporterOptions tst_OtlpExporter::options(const QByteArray &url)
{
    OtlpExporterOptions o;
    o.endpoint = QUrl(QString::fromLatin1(url));
    o.flushInterval = 50ms;
    o.initialBackoff = 20ms;
    o.maxBackoff = 100ms;
    o.timeout = 2s;
    return o;
}

void tst_OtlpExporter::initTestCase()
{
    const QString corpus = qEnvironmentVariable("GATEHOUSE_CORPUS");
    QVERIFY2(!corpus.isEmpty(), "GATEHOUSE_CORPUS is set by CTest");
    m_protos = std::make_unique<OtlpProtos>(corpus + QStringLiteral("/proto/otlp"));
    QVERIFY2(m_protos->isValid(), qPrintable(m_protos->errors()));
}

void tst_OtlpExporter::jsonParsesAsExportTraceServiceRequest()
{
    const QList<TraceRecord> records{record(1), record(2), record(3)};
    const QByteArray json = OtlpExporter::toJson(records, QStringLiteral("shop-gateway"));
    QString error;
    const auto message = m_protos->parse(json, error);
    QVERIFY2(message, qPrintable(error + QLatin1Char('\n') + QString::fromUtf8(json.left(400))));

    // Back to canonical JSON: what the collector understood.
    const QJsonObject parsed = QJsonDocument::fromJson(OtlpProtos::toJson(*message)).object();
    const QJsonObject rs = parsed[QLatin1String("resourceSpans")].toArray().at(0).toObject();
    const QJsonArray resourceAttrs = rs[QLatin1String("resource")].toObject()[QLatin1String("attributes")].toArray();
    QCOMPARE(resourceAttrs.at(0).toObject()[QLatin1String("key")].toString(), QStringLiteral("service.name"));
    QCOMPARE(resourceAttrs.at(0).toObject()[QLatin1String("value")].toObject()[QLatin1String("stringValue")].toString(),
             QStringLiteral("shop-gateway"));
    const QJsonArray spans = rs[QLatin1String("scopeSpans")].toArray().at(0).toObject()[QLatin1String("spans")].toArray();
    QCOMPARE(spans.size(), 3 * 4);   // per request: the server span and three children

    const QJsonObject server = spans.at(0).toObject();
    QCOMPARE(server[QLatin1String("name")].toString(), QStringLiteral("GET /pets/{id}"));
    QCOMPARE(server[QLatin1String("kind")].toString(), QStringLiteral("SPAN_KIND_SERVER"));
    QCOMPARE(server[QLatin1String("startTimeUnixNano")].toString(), QStringLiteral("1790000000000000001"));
    QCOMPARE(server[QLatin1String("endTimeUnixNano")].toString(), QStringLiteral("1790000000002500001"));
    QCOMPARE(server[QLatin1String("traceState")].toString(), QStringLiteral("congo=t61rcWkgMzE"));
    // OTLP/JSON ids are hex; protobuf's generic mapping reads bytes as base64. 32 (16) hex digits
    // are valid base64 of 24 (12) bytes, so the canonical form gives the same text back.
    QCOMPARE(server[QLatin1String("traceId")].toString(), QString::fromLatin1(records[0].traceId.toHex()));
    QCOMPARE(server[QLatin1String("spanId")].toString(), QString::fromLatin1(spanIdHex(records[0].spanId)));
    QCOMPARE(server[QLatin1String("parentSpanId")].toString(), QString::fromLatin1(spanIdHex(records[0].parentSpanId)));
    // The query (with its api_key) never leaves: url.path only.
    QVERIFY(!json.contains("secret"));

    const QJsonObject authn = spans.at(1).toObject();
    QCOMPARE(authn[QLatin1String("kind")].toString(), QStringLiteral("SPAN_KIND_INTERNAL"));
    QCOMPARE(authn[QLatin1String("parentSpanId")].toString(), QString::fromLatin1(spanIdHex(records[0].spanId)));
    const QJsonObject upstream = spans.at(2).toObject();
    QCOMPARE(upstream[QLatin1String("kind")].toString(), QStringLiteral("SPAN_KIND_CLIENT"));
    const QJsonObject firstByte = spans.at(3).toObject();
    QCOMPARE(firstByte[QLatin1String("parentSpanId")].toString(), QString::fromLatin1(spanIdHex(records[0].spans[1].spanId)));

    // The 503 of record(3) marks its server span as an error; a 200 does not.
    QCOMPARE(spans.at(8).toObject()[QLatin1String("status")].toObject()[QLatin1String("code")].toString(),
             QStringLiteral("STATUS_CODE_ERROR"));
    QVERIFY(!server.contains(QLatin1String("status")));
}

void tst_OtlpExporter::hostileStringsStayValidJson()
{
    TraceRecord r = record(4);
    r.method = "G\"E\\T\n";
    r.route = QByteArray("/\x01\x7f\xff\xfe{id}", 7);
    r.caller = QStringLiteral("eve\u0000\"}]");
    r.spans[0].name = "\"},{\"";
    QString error;
    const auto message = m_protos->parse(OtlpExporter::toJson({r}, QStringLiteral("x\"y")), error);
    QVERIFY2(message, qPrintable(error));
}

void tst_OtlpExporter::batchesReachTheCollectorWithHeaders()
{
    OtlpCollector collector;
    QVERIFY(collector.listen());
    OtlpExporterOptions o = options(collector.url());
    o.batchSize = 4;
    o.headers = {{"x-tenant", "acme"}, {"authorization", "Bearer t0ken"}};
    OtlpExporter exporter(o);
    QList<TraceRecord> records;
    for (int i = 0; i < 10; ++i)
        records.append(record(i));
    exporter.enqueue(records);
    QTRY_COMPARE_WITH_TIMEOUT(int(exporter.stats().exportedRequests), 10, 10'000);
    QCOMPARE(collector.requests().size(), 3);   // 4 + 4 + 2
    QCOMPARE(exporter.stats().exportedSpans, quint64(40));
    for (const CollectedRequest &r : collector.requests()) {
        QVERIFY(r.head.startsWith("POST /v1/traces HTTP/1.1"));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.header("x-tenant"), QByteArray("acme"));
        QCOMPARE(r.header("authorization"), QByteArray("Bearer t0ken"));
        QString error;
        QVERIFY2(m_protos->parse(r.body, error), qPrintable(error));
    }
}

void tst_OtlpExporter::retryableAnswersAreRetried_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("503 Service Unavailable is retried") << QByteArray("503 Service Unavailable");
    QTest::newRow("429 Too Many Requests is retried") << QByteArray("429 Too Many Requests");
    QTest::newRow("502 Bad Gateway is retried") << QByteArray("502 Bad Gateway");
    QTest::newRow("504 Gateway Timeout is retried") << QByteArray("504 Gateway Timeout");
}

void tst_OtlpExporter::retryableAnswersAreRetried()
{
    QFETCH(QByteArray, status);
    OtlpCollector collector;
    QVERIFY(collector.listen());
    collector.script({status, status});
    OtlpExporter exporter(options(collector.url()));
    exporter.enqueue({record(1), record(2)});
    QTRY_COMPARE_WITH_TIMEOUT(int(exporter.stats().exportedRequests), 2, 10'000);
    QCOMPARE(collector.requests().size(), 3);
    QCOMPARE(collector.requests()[0].body, collector.requests()[2].body);   // the same batch again
    QCOMPARE(exporter.stats().retries, quint64(2));
    QCOMPARE(exporter.stats().droppedFailed, quint64(0));
}

void tst_OtlpExporter::badRequestIsNotRetried()
{
    OtlpCollector collector;
    QVERIFY(collector.listen());
    collector.script({"400 Bad Request"});
    OtlpExporter exporter(options(collector.url()));
    exporter.enqueue({record(1)});
    QTRY_COMPARE_WITH_TIMEOUT(int(exporter.stats().droppedFailed), 1, 10'000);
    exporter.enqueue({record(2)});
    QTRY_COMPARE_WITH_TIMEOUT(int(exporter.stats().exportedRequests), 1, 10'000);
    QCOMPARE(collector.requests().size(), 2);
    QCOMPARE(exporter.stats().retries, quint64(0));
}

void tst_OtlpExporter::unreachableCollectorIsRetriedThenDropped()
{
    quint16 port = 0;
    {
        QTcpServer closed;   // a port that was free a moment ago: nobody listens there now
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        port = closed.serverPort();
    }
    OtlpExporterOptions o = options("http://127.0.0.1:" + QByteArray::number(port) + "/v1/traces");
    o.maxAttempts = 3;
    OtlpExporter exporter(o);
    exporter.enqueue({record(1), record(2)});
    QTRY_COMPARE_WITH_TIMEOUT(int(exporter.stats().droppedFailed), 2, 10'000);
    QCOMPARE(exporter.stats().retries, quint64(2));
    QCOMPARE(exporter.stats().exportedRequests, quint64(0));
}

void tst_OtlpExporter::fullQueueDropsAndCounts()
{
    OtlpCollector collector;
    QVERIFY(collector.listen());
    OtlpExporterOptions o = options(collector.url());
    o.batchSize = 5;
    o.queueSize = 5;
    o.flushInterval = 10s;   // nothing leaves before the second enqueue
    OtlpExporter exporter(o);
    QList<TraceRecord> many;
    for (int i = 0; i < 8; ++i)
        many.append(record(i));
    exporter.enqueue(many);
    QCOMPARE(exporter.stats().droppedQueueFull, quint64(3));
    QTRY_COMPARE_WITH_TIMEOUT(int(exporter.stats().exportedRequests), 5, 10'000);
}

void tst_OtlpExporter::shutdownSendsWhatIsQueued()
{
    OtlpCollector collector;
    QVERIFY(collector.listen());
    OtlpExporterOptions o = options(collector.url());
    o.flushInterval = 1h;
    o.batchSize = 100;
    auto exporter = std::make_unique<OtlpExporter>(o);
    exporter->enqueue({record(1), record(2), record(3)});
    // shutdown() blocks this thread while the exporter's thread sends: serve the collector from
    // another thread meanwhile.
    QThread serving;
    collector.moveToThread(&serving);
    serving.start();
    exporter->shutdown();
    serving.quit();
    serving.wait();
    QCOMPARE(exporter->stats().exportedRequests, quint64(3));
    QCOMPARE(collector.accepted(), 1);
    exporter->enqueue({record(4)});   // after shutdown: dropped, counted
    QCOMPARE(exporter->stats().droppedFailed, quint64(1));
}

QTEST_GUILESS_MAIN(tst_OtlpExporter)
#include "tst_otlpexporter.moc"
