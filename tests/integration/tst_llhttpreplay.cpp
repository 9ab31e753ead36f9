// Every llhttp request case that llhttp refuses, replayed through the gateway's listener: the
// gateway answers 4xx/5xx or closes, and the upstream never receives whole a request llhttp did
// not finish (a valid head may be streamed before its body turns out malformed; the upstream then
// sees the connection reset, never a complete request).
#include "testgateway.h"
#include "testupstream.h"

#include "llhttpcase.h"

#include <QDir>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_LlhttpReplay : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();
    void refusedCasesNeverReachTheUpstream_data();
    void refusedCasesNeverReachTheUpstream();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    QString m_root;
};

void tst_LlhttpReplay::initTestCase()
{
    const QString corpus = qEnvironmentVariable("GATEHOUSE_CORPUS");
    if (corpus.isEmpty())
        QSKIP("GATEHOUSE_CORPUS is not set (ctest sets it)");
    m_root = corpus + QStringLiteral("/http/llhttp-tests/test/request");
    QVERIFY2(QDir(m_root).exists(), qPrintable(m_root));
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    // Every upstream connection ends with its exchange, so that "no upstream connection open"
    // means every forwarded byte has been counted.
    m_upstream.setDefaultBehaviour("keepalive=0");
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml("limits:\n  headerTimeout: 2s\n")));
    // Routes for the targets the corpus uses, so that anything the gateway accepts is forwarded.
    QVERIFY(m_project.write(QStringLiteral("apis/all.yaml"),
                            apiYaml(QStringLiteral("All"), QStringLiteral("/"), m_upstream.url(),
                                    {QStringLiteral("/* GET POST PUT DELETE PATCH OPTIONS TRACE")})));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_LlhttpReplay::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_LlhttpReplay::refusedCasesNeverReachTheUpstream_data()
{
    QTest::addColumn<QString>("file");
    const QStringList files = QDir(m_root).entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name);
    for (const QString &f : files)
        QTest::addRow("refused cases of request/%s stay refused through the listener", qPrintable(f)) << f;
}

void tst_LlhttpReplay::refusedCasesNeverReachTheUpstream()
{
    QFETCH(QString, file);
    const QList<LlhttpCase> cases = readLlhttpCases(m_root + QLatin1Char('/') + file, QStringLiteral("request/") + file);
    QVERIFY2(!cases.isEmpty(), qPrintable(file));
    QStringList problems;
    int replayed = 0;
    for (const LlhttpCase &c : cases) {
        // 22/23 are llhttp handing the stream to another protocol (CONNECT, Upgrade), not refusals.
        if (c.errorCode == 0 || c.errorCode == 22 || c.errorCode == 23)
            continue;
        ++replayed;
        int finished = 0;   // messages llhttp completed before refusing: those may be forwarded
        for (const LlhttpMessage &m : c.messages)
            finished += m.complete ? 1 : 0;
        const QString where = QStringLiteral("%1:%2 \"%3\"").arg(file).arg(c.line).arg(c.name);
        const auto upstreamQuiet = [this] { return m_upstream.openConnections() == 0; };
        waitUntil(upstreamQuiet, 10'000);
        const int before = m_upstream.completedCount();
        HttpConnection conn;
        if (!conn.connectTo(gateway().httpPort())) {
            problems << where + QStringLiteral(": cannot connect");
            continue;
        }
        conn.write(c.input);
        // EOF after the input: a head the gateway is still waiting for ends now, not at its timeout.
        conn.halfClose();
        int good = 0;
        for (int i = 0; i <= finished + 1; ++i) {
            const HttpResponse r = conn.readResponse("GET", 10'000);
            if (!r.complete)
                break;
            good += r.status < 400 ? 1 : 0;
        }
        if (!conn.waitForClosed(10'000))
            problems << where + QStringLiteral(": the connection stayed open");
        m_upstream.sync();
        if (!waitUntil(upstreamQuiet, 10'000))
            problems << where + QStringLiteral(": the upstream connection stayed open");
        const int forwarded = m_upstream.completedCount() - before;
        if (forwarded > finished)
            problems << where + QStringLiteral(": %1 request(s) reached the upstream, llhttp finished %2")
                                    .arg(forwarded)
                                    .arg(finished);
        if (good > finished)
            problems << where + QStringLiteral(": %1 success answer(s), llhttp finished %2 message(s)")
                                    .arg(good)
                                    .arg(finished);
    }
    for (const QString &p : std::as_const(problems))
        qWarning("%s", qPrintable(p));
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 of %2 refused cases misbehaved").arg(problems.size()).arg(replayed)));
}

QTEST_GUILESS_MAIN(tst_LlhttpReplay)
#include "tst_llhttpreplay.moc"
