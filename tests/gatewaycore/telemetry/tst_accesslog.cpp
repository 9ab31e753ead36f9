// The access log: JSON and combined lines (hostile request fields cannot forge lines, query and
// Referer values are redacted), the bounded queue's drop count, and the writer thread's file.
#include "telemetry/accesslog.h"
#include "telemetry/metricsregistry.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_AccessLog : public QObject
{
    Q_OBJECT
private slots:
    void redactQuery_data();
    void redactQuery();
    void jsonLineKeepsHostileFieldsInside();
    void combinedLineEscapesLikeNginx();
    void refusedBeforeAHead();
    void fullQueueCountsDrops();
    void writerAppendsToTheFile();

private:
    static AccessLogEntry entry();
};

AccessLogEntry tst_AccessLog::entry()
{
    AccessLogEntry e;
    e.endMs = 1'790'000'000'123;   // 2026-09-21T14:13:20.123Z
    e.durationUs = 1534;
    e.peer = "127.0.0.1";
    e.method = "GET";
    e.path = "/pets/items/1";
    e.query = "?api_key=s3cret&page=2&flag";
    e.version = "HTTP/1.1";
    e.userAgent = "curl/7.88.1";
    e.referer = "https://example.com/p?token=abc";
    e.user = "alice";
    e.status = 200;
    e.bytesSent = 1200;
    return e;
}

void tst_AccessLog::redactQuery_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("redacted");
    QTest::newRow("values go, names stay") << QByteArray("?a=1&b=two") << QByteArray("?a=REDACTED&b=REDACTED");
    QTest::newRow("a name without a value stays") << QByteArray("?flag&k=v") << QByteArray("?flag&k=REDACTED");
    QTest::newRow("empty pairs are dropped") << QByteArray("?&&a=1&") << QByteArray("?a=REDACTED");
    QTest::newRow("no query") << QByteArray() << QByteArray();
    QTest::newRow("a lone question mark") << QByteArray("?") << QByteArray();
    QTest::newRow("equals signs inside a value") << QByteArray("?sig=a=b=c") << QByteArray("?sig=REDACTED");
}

void tst_AccessLog::redactQuery()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, redacted);
    QCOMPARE(AccessLog::redactQuery(query), redacted);
}

void tst_AccessLog::jsonLineKeepsHostileFieldsInside()
{
    AccessLogEntry e = entry();
    e.userAgent = "evil\"}\n{\"status\":500,\"x\":\"\\\x01\xff";
    const QByteArray line = AccessLog::formatJson(e, "/pets/items/{id}", "Pets");
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(o.value(QStringLiteral("time")).toString(), QStringLiteral("2026-09-21T14:13:20.123Z"));
    QCOMPARE(o.value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(o.value(QStringLiteral("user_agent")).toString(),
             QStringLiteral(u"evil\"}\n{\"status\":500,\"x\":\"\\\u0001\uFFFD"));
    QCOMPARE(o.value(QStringLiteral("query")).toString(), QStringLiteral("?api_key=REDACTED&page=REDACTED&flag"));
    QCOMPARE(o.value(QStringLiteral("referer")).toString(), QStringLiteral("https://example.com/p?token=REDACTED"));
    QCOMPARE(o.value(QStringLiteral("route")).toString(), QStringLiteral("/pets/items/{id}"));
    QCOMPARE(o.value(QStringLiteral("api")).toString(), QStringLiteral("Pets"));
    QCOMPARE(o.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
    QCOMPARE(o.value(QStringLiteral("duration_us")).toInt(), 1534);
    QCOMPARE(o.value(QStringLiteral("bytes_sent")).toInt(), 1200);
    QVERIFY(!line.contains("s3cret"));
    QVERIFY(!line.contains("abc"));
}

void tst_AccessLog::combinedLineEscapesLikeNginx()
{
    AccessLogEntry e = entry();
    e.userAgent = "a\"b\nc\\d\xc3\xa9";
    QCOMPARE(AccessLog::formatCombined(e),
             QByteArray("127.0.0.1 - alice [21/Sep/2026:14:13:20 +0000] \"GET /pets/items/1?api_key=REDACTED&page=REDACTED&flag "
                        "HTTP/1.1\" 200 1200 \"https://example.com/p?token=REDACTED\" \"a\\x22b\\x0Ac\\x5Cd\\xC3\\xA9\"\n"));
}

void tst_AccessLog::refusedBeforeAHead()
{
    AccessLogEntry e;
    e.endMs = 0;
    e.peer = "::1";
    e.status = 400;
    QCOMPARE(AccessLog::formatCombined(e), QByteArray("::1 - - [01/Jan/1970:00:00:00 +0000] \"-\" 400 0 \"-\" \"-\"\n"));
    const QJsonObject o = QJsonDocument::fromJson(AccessLog::formatJson(e, {}, {})).object();
    QCOMPARE(o.value(QStringLiteral("method")).toString(), QString());
    QCOMPARE(o.value(QStringLiteral("status")).toInt(), 400);
}

void tst_AccessLog::fullQueueCountsDrops()
{
    const std::atomic<bool> enabled{true};
    int wakes = 0;
    AccessLogQueue queue(&enabled, [&wakes] { ++wakes; });
    QVERIFY(!queue.slot());   // no slots before allocate(): the log was never on
    queue.allocate();
    for (size_t i = 0; i < AccessLogQueue::kCapacity; ++i) {
        AccessLogEntry *e = queue.slot();
        QVERIFY(e);
        e->status = int(i);
        queue.push();
    }
    QVERIFY(!queue.slot());
    QVERIFY(!queue.slot());
    QCOMPARE(queue.dropped(), 3u);
    QCOMPARE(wakes, 1);   // at half full, once
    int drained = 0;
    queue.drain([&](const AccessLogEntry &e) { QCOMPARE(e.status, drained++); });
    QCOMPARE(drained, int(AccessLogQueue::kCapacity));
    QVERIFY(queue.slot());   // room again
}

void tst_AccessLog::writerAppendsToTheFile()
{
    QTemporaryDir dir;
    auto registry = std::make_shared<MetricsRegistry>(2);
    const quint32 labels = registry->internLabels(QStringLiteral("GET"), QStringLiteral("/a/{b}"), QStringLiteral("A"));
    {
        AccessLog log(2, registry);
        QVERIFY(!log.isEnabled());
        AccessLogSettings settings;
        settings.enabled = true;
        settings.path = QStringLiteral("logs-missing/access.log");   // a folder that does not exist
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot open the access log")));
        log.configure(settings, dir.path());
        QVERIFY(!log.isEnabled());
        settings.path = QStringLiteral("access.log");
        log.configure(settings, dir.path());
        QVERIFY(log.isEnabled());
        for (int worker = 0; worker < 2; ++worker) {
            AccessLogEntry *e = log.queue(worker).slot();
            QVERIFY(e);
            *e = entry();
            e->labels = labels;
            e->status = 200 + worker;
            log.queue(worker).push();
        }
    }   // the destructor writes what is queued
    QFile f(dir.filePath(QStringLiteral("access.log")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 3);   // two lines and the empty rest
    QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object().value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object().value(QStringLiteral("route")).toString(), QStringLiteral("/a/{b}"));
}

QTEST_GUILESS_MAIN(tst_AccessLog)
#include "tst_accesslog.moc"
