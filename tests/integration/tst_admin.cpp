// The admin API on its own port: /health fields, JSON 404 and 405, and that it stays off the
// data-plane listener; in-process and through gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Admin : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void healthDescribesTheGateway();
    void healthCountsOpenClientConnections();
    void errorsAreJson_data();
    void errorsAreJson();
    void adminPathsAreNotOnTheDataPlane();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_Admin::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"),
                            apiYaml(QStringLiteral("Pets"), QStringLiteral("/pets"), m_upstream.url(),
                                    {QStringLiteral("/list GET")})));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Admin::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_Admin::healthDescribesTheGateway()
{
    const HttpResponse r = gateway().admin("GET", "/health");
    QVERIFY2(r.complete && r.status == 200, qPrintable(r.describe()));
    QVERIFY(r.header("Content-Type").startsWith("application/json"));
    const QJsonObject h = r.json();
    QCOMPARE(h.value(QStringLiteral("status")).toString(), QStringLiteral("UP"));
    QVERIFY(!h.value(QStringLiteral("version")).toString().isEmpty());
    QVERIFY(h.value(QStringLiteral("uptimeSeconds")).isDouble());
    QVERIFY(h.value(QStringLiteral("uptimeSeconds")).toDouble() >= 0);
    QVERIFY(h.value(QStringLiteral("configVersion")).toInt() >= 1);
    QCOMPARE(h.value(QStringLiteral("workers")).toInt(), 2);
    QVERIFY(h.value(QStringLiteral("activeConnections")).isDouble());
}

void tst_Admin::healthCountsOpenClientConnections()
{
    auto active = [this] { return gateway().admin("GET", "/health").json().value(QStringLiteral("activeConnections")).toInt(-1); };
    QVERIFY2(waitUntil([&] { return active() == 0; }, 10'000), "connections of earlier tests are still counted");
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    c.write(requestBytes("GET", "/pets/list"));
    QVERIFY(c.readResponse().status == 200);
    QCOMPARE(active(), 1);
    c.abort();
    QVERIFY2(waitUntil([&] { return active() == 0; }, 10'000), "a closed client connection is still counted");
}

void tst_Admin::errorsAreJson_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("an unknown admin path is a JSON 404") << QByteArray("GET") << QByteArray("/nothing/here") << 404;
    QTest::newRow("GET /admin/reload is a JSON 405") << QByteArray("GET") << QByteArray("/admin/reload") << 405;
}

void tst_Admin::errorsAreJson()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    const HttpResponse r = gateway().admin(method, path);
    QVERIFY2(r.complete && r.status == status, qPrintable(r.describe()));
    const QJsonObject body = r.json();
    QCOMPARE(body.value(QStringLiteral("code")).toString(), QString::number(status));
    QVERIFY(!body.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(!body.value(QStringLiteral("description")).toString().isEmpty());
}

void tst_Admin::adminPathsAreNotOnTheDataPlane()
{
    for (const QByteArray path : {"/health", "/admin/reload"}) {
        const HttpResponse r = httpRequest(gateway().httpPort(), path == "/health" ? "GET" : "POST", path);
        QVERIFY2(r.complete && r.status == 404, qPrintable(r.describe()));
    }
}

QTEST_GUILESS_MAIN(tst_Admin)
#include "tst_admin.moc"
