// limits.maxConnections: with the limit reached, a new client connection is closed at once and the
// open ones keep working; once one closes, a new one is served. In-process and through gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_ConnectionLimit : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase()
    {
        QVERIFY(m_project.isValid());
        QVERIFY(m_upstream.start());
        QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml("limits:\n  maxConnections: 2\n")));
        QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"),
                                apiYaml(QStringLiteral("Pets"), QStringLiteral("/pets"), m_upstream.url(),
                                        {QStringLiteral("/list GET")})));
        QString error;
        QVERIFY2(m_gateways.start(m_project.path(), &error, 1), qPrintable(error));
    }
    void cleanupTestCase()
    {
        m_gateways.stop();
        m_upstream.stop();
    }

    void connectionsOverTheLimitAreClosed()
    {
        const quint16 port = m_gateways.current().httpPort();
        HttpConnection a;
        HttpConnection b;
        QVERIFY(a.connectTo(port));
        a.write(requestBytes("GET", "/pets/list"));
        QCOMPARE(a.readResponse().status, 200);
        QVERIFY(b.connectTo(port));
        b.write(requestBytes("GET", "/pets/list"));
        QCOMPARE(b.readResponse().status, 200);

        HttpConnection c;   // the third: accepted by the kernel, closed by the gateway
        QVERIFY(c.connectTo(port));
        c.write(requestBytes("GET", "/pets/list"));
        QVERIFY2(c.waitForClosed(10'000), "a connection over limits.maxConnections stayed open");

        a.write(requestBytes("GET", "/pets/list"));   // the open ones keep working
        QCOMPARE(a.readResponse().status, 200);

        b.abort();
        HttpResponse r;
        QVERIFY2(waitUntil([&] {
                     r = httpRequest(port, "GET", "/pets/list");
                     return r.status == 200;
                 }, 10'000),
                 qPrintable(r.describe()));
    }

private:
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

QTEST_GUILESS_MAIN(tst_ConnectionLimit)
#include "tst_connectionlimit.moc"
