// JSON transcoding of streaming methods (transcode/stream_service.proto) through gatehoused to a
// python3-grpcio server, over HTTP/1.1, h2c and h2 (transcodefixture.h): a server-streaming
// method answers a JSON array whose elements leave as the messages arrive, an error ends it as
// its last element (or is the whole answer before any message), messages larger than the
// upstream's stream window arrive whole; client-streaming and bidirectional methods answer 501.
#include "transcodefixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_TranscodeStreaming : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { m_peers.stop(); }
    void serverStreamingAnswersAJsonArray_data();
    void serverStreamingAnswersAJsonArray();
    void streamedElementsLeaveAsMessagesArrive_data() { addTranscodeClientColumn(); }
    void streamedElementsLeaveAsMessagesArrive();
    void headOnAStreamingBindingIsTheHeadAlone();
    void clientStreamingAnswers501_data();
    void clientStreamingAnswers501();

private:
    TranscodeFixture m_peers;
};

void tst_TranscodeStreaming::initTestCase()
{
    QString skip;
    QString error;
    if (!m_peers.start(skip, error)) {
        if (!skip.isEmpty())
            QSKIP(qPrintable(skip));
        QFAIL(qPrintable(error));
    }
}

void tst_TranscodeStreaming::serverStreamingAnswersAJsonArray_data()
{
    QTest::addColumn<TranscodeClient>("client");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("messages");      // elements {"i": n} before the end
    QTest::addColumn<QString>("error");     // the last element's (or the whole answer's) message
    struct Row
    {
        const char *name;
        QByteArray target;
        int status;
        int messages;
        QString error;
    };
    const Row rows[] = {
        {"three messages are a three-element array", "/v1/count/3", 200, 3, {}},
        {"no message is an empty array", "/v1/count/0", 200, 0, {}},
        {"an error before any message is its HTTP status", "/v1/count/0?fail=gone", 404, 0, QStringLiteral("gone")},
        {"an error after two messages is the array's last element", "/v1/count/2?fail=gone", 200, 2,
         QStringLiteral("gone")},
        // 100 KB messages exceed the upstream's stream window: each must still arrive whole.
        {"forty 100 KB messages arrive whole", "/v1/count/40?padBytes=100000", 200, 40, {}},
    };
    for (const auto &[client, protocol] : transcodeClients()) {
        for (const Row &r : rows)
            QTest::addRow("%s %s", r.name, protocol.constData()) << client << r.target << r.status << r.messages << r.error;
    }
}

void tst_TranscodeStreaming::serverStreamingAnswersAJsonArray()
{
    QFETCH(TranscodeClient, client);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(int, messages);
    QFETCH(QString, error);
    const TranscodeAnswer r = m_peers.call(client, "GET", target);
    QVERIFY2(r.status == status, qPrintable(r.describe()));
    QCOMPARE(r.contentType, QByteArray("application/json"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString() + r.describe()));
    if (status != 200) {
        QCOMPARE(doc.object().value(u"message").toString(), error);
        return;
    }
    QVERIFY2(doc.isArray(), qPrintable(r.describe()));
    const QJsonArray array = doc.array();
    QCOMPARE(array.size(), messages + (error.isEmpty() ? 0 : 1));
    for (int i = 0; i < messages; ++i)
        QCOMPARE(array.at(i).toObject().value(u"i").toInt(), i + 1);
    if (!error.isEmpty()) {
        const QJsonObject last = array.last().toObject().value(u"error").toObject();
        QCOMPARE(last.value(u"code").toInt(), 5);
        QCOMPARE(last.value(u"message").toString(), error);
    }
}

// The server sends its first message, then waits for a file the test creates only once that
// element reached the client: the array cannot have been held until the call's end.
void tst_TranscodeStreaming::streamedElementsLeaveAsMessagesArrive()
{
    QFETCH(TranscodeClient, client);
    const QString flag = m_peers.tempPath(QStringLiteral("go-%1").arg(int(client)));
    QFile::remove(flag);
    QProcess curl;
    QStringList args{QStringLiteral("-sS"), QStringLiteral("-N"), QStringLiteral("-k")};
    args << (client == TranscodeClient::Http11 ? QStringLiteral("--http1.1")
             : client == TranscodeClient::H2c  ? QStringLiteral("--http2-prior-knowledge")
                                      : QStringLiteral("--http2"));
    args << m_peers.url(client, "/v1/count/3?waitFor=" + QUrl::toPercentEncoding(flag));
    curl.start(QStringLiteral("curl"), args);
    QVERIFY(curl.waitForStarted());
    QByteArray out;
    const bool first = waitUntil([&] {
        out += curl.readAllStandardOutput();
        return out.contains("\"i\":1") || curl.state() == QProcess::NotRunning;
    }, 30'000);
    const bool early = first && !out.contains("\"i\":2");
    QVERIFY(writeTestFile(flag, "go"));
    QVERIFY(curl.waitForFinished(30'000));
    out += curl.readAllStandardOutput();
    QVERIFY2(early, out.constData());
    QCOMPARE(QJsonDocument::fromJson(out).array().size(), 3);
}

void tst_TranscodeStreaming::headOnAStreamingBindingIsTheHeadAlone()
{
    // The test's HTTP/1.1 client reads no body after a HEAD: a byte of one would be a next
    // response's garbage, which the keep-alive call after it would trip over.
    HttpConnection c;
    QVERIFY(c.connectTo(m_peers.port()));
    c.write(requestBytes("HEAD", "/v1/count/3"));
    const HttpResponse head = c.readResponse("HEAD");
    QVERIFY2(head.complete && head.status == 200, qPrintable(head.describe()));
    QVERIFY(head.body.isEmpty());
    c.write(requestBytes("GET", "/v1/count/2", {}, {}, true));
    const HttpResponse next = c.readResponse();
    QVERIFY2(next.complete && next.status == 200, qPrintable(next.describe()));
    QCOMPARE(QJsonDocument::fromJson(next.body).array().size(), 2);
}

void tst_TranscodeStreaming::clientStreamingAnswers501_data()
{
    QTest::addColumn<TranscodeClient>("client");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("method");
    for (const auto &[client, protocol] : transcodeClients()) {
        QTest::addRow("a client-streaming method is 501 %s", protocol.constData())
            << client << QByteArray("/v1/collect") << QStringLiteral("gatehouse.test.stream.Counter.Collect");
        QTest::addRow("a bidirectional method is 501 %s", protocol.constData())
            << client << QByteArray("/v1/chat") << QStringLiteral("gatehouse.test.stream.Counter.Chat");
    }
}

void tst_TranscodeStreaming::clientStreamingAnswers501()
{
    QFETCH(TranscodeClient, client);
    QFETCH(QByteArray, target);
    QFETCH(QString, method);
    const TranscodeAnswer r = m_peers.call(client, "POST", target, {{"content-type", "application/json"}}, R"({"i":1})");
    QVERIFY2(r.status == 501, qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.body).contains(method), qPrintable(r.describe()));
}

QTEST_GUILESS_MAIN(tst_TranscodeStreaming)
#include "tst_transcodestreaming.moc"
