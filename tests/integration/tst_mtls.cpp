// Mutual TLS as a security scheme, with curl as the client: a certificate issued by the project's
// client CA is admitted and named as the caller, a self-signed one and none are refused, and
// mTLS ANDed with Basic needs both; in-process and through gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include <QFile>
#include <QStandardPaths>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_Mtls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void trustedCertificateIsAdmitted();
    void untrustedOrMissingCertificateIsRefused();
    void bothCredentialsAreNeededWhenAnded();
    void plainHttpHasNoCertificate();
    void certificateForwardedByATrustedProxy();

private:
    bool openssl(const QStringList &arguments);
    // curl over HTTPS with an optional client certificate; returns status and body.
    QPair<int, QByteArray> curl(const QString &path, const QString &certificate = {},
                                const QStringList &extra = {});
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

bool tst_Mtls::openssl(const QStringList &arguments)
{
    const ProcessResult r = runProcess(QStringLiteral("openssl"), arguments);
    if (!r.finished || r.exitCode != 0)
        qWarning("openssl %s: %s", qPrintable(arguments.join(u' ')), qPrintable(r.describe()));
    return r.finished && r.exitCode == 0;
}

QPair<int, QByteArray> tst_Mtls::curl(const QString &path, const QString &certificate, const QStringList &extra)
{
    QStringList args{QStringLiteral("-sk"), QStringLiteral("-o"), QStringLiteral("-"), QStringLiteral("-w"),
                     QStringLiteral("\n%{http_code}")};
    if (!certificate.isEmpty()) {
        args << QStringLiteral("--cert") << m_project.filePath(QStringLiteral("client/%1.crt").arg(certificate))
             << QStringLiteral("--key") << m_project.filePath(QStringLiteral("client/%1.key").arg(certificate));
    }
    args << extra << QStringLiteral("https://127.0.0.1:%1%2").arg(gateway().httpsPort()).arg(path);
    const ProcessResult r = runProcess(QStringLiteral("curl"), args);
    const qsizetype nl = r.out.lastIndexOf('\n');
    const int status = r.out.mid(nl + 1).toInt();
    return {status, status == 0 ? r.describe().toUtf8() : r.out.left(qMax<qsizetype>(nl, 0))};
}

void tst_Mtls::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty()
        || QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QSKIP("curl and openssl are needed (scripts/deps.sh test installs them)");
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("client/.keep"), {}));
    const QString dir = m_project.filePath(QStringLiteral("client"));
    const QString ca = dir + QStringLiteral("/ca");
    auto ec = [](const QString &key) {
        return QStringList{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                           QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                           QStringLiteral("-keyout"), key};
    };
    // The project's client CA, a client it signed, and a look-alike that signed itself.
    QVERIFY(openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-days"), QStringLiteral("2"),
                                QStringLiteral("-subj"), QStringLiteral("/CN=Test Client CA"), QStringLiteral("-out"), ca + QStringLiteral(".crt")}
                    + ec(ca + QStringLiteral(".key"))));
    QVERIFY(openssl(QStringList{QStringLiteral("req"), QStringLiteral("-subj"), QStringLiteral("/CN=partner-app"),
                                QStringLiteral("-out"), dir + QStringLiteral("/good.csr")}
                    + ec(dir + QStringLiteral("/good.key"))));
    QVERIFY(m_project.write(QStringLiteral("client/ext.cnf"), "extendedKeyUsage = clientAuth\n"));
    QVERIFY(openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), dir + QStringLiteral("/good.csr"),
                     QStringLiteral("-CA"), ca + QStringLiteral(".crt"), QStringLiteral("-CAkey"), ca + QStringLiteral(".key"),
                     QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                     QStringLiteral("-extfile"), dir + QStringLiteral("/ext.cnf"), QStringLiteral("-out"), dir + QStringLiteral("/good.crt")}));
    QVERIFY(openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-days"), QStringLiteral("2"),
                                QStringLiteral("-subj"), QStringLiteral("/CN=partner-app"), QStringLiteral("-out"), dir + QStringLiteral("/rogue.crt")}
                    + ec(dir + QStringLiteral("/rogue.key"))));

    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"),
                            settingsYaml("  https:\n"
                                         "    address: 127.0.0.1\n"
                                         "    clientCertificates: request\n"
                                         "    clientCa: client/ca.crt\n"
                                         "security:\n"
                                         "  users:\n"
                                         "    - name: ops\n"
                                         "      password: ${env:GATEHOUSE_TEST_OPS_PASSWORD}\n")
                                .replace("  https:\n    address: 127.0.0.1\n  admin:", "  admin:")));
    qputenv("GATEHOUSE_TEST_OPS_PASSWORD", "ops-pw");
    QVERIFY(m_project.write(QStringLiteral("apis/partners.yaml"), QStringLiteral(R"(openapi: 3.1.0
info: {title: Partners, version: '1'}
x-gatehouse-basePath: /partners
servers: [{url: '%1'}]
components:
  securitySchemes:
    partnerCert: {type: mutualTLS}
    ops: {type: http, scheme: basic}
security: [{partnerCert: []}]
paths:
  /orders:
    get: {responses: {'200': {description: ok}}}
  /admin:
    get:
      security: [{partnerCert: [], ops: []}]
      responses: {'200': {description: ok}}
)").arg(m_upstream.url()).toUtf8()));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Mtls::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_Mtls::trustedCertificateIsAdmitted()
{
    const auto [status, body] = curl(QStringLiteral("/partners/orders"), QStringLiteral("good"));
    QVERIFY2(status == 200, body.constData());
    QCOMPARE(m_upstream.lastRequest().target, QByteArray("/orders"));
}

void tst_Mtls::untrustedOrMissingCertificateIsRefused()
{
    auto [status, body] = curl(QStringLiteral("/partners/orders"), QStringLiteral("rogue"));
    QVERIFY2(status == 401, body.constData());
    QVERIFY2(body.contains("900901") && body.contains("not trusted"), body.constData());
    std::tie(status, body) = curl(QStringLiteral("/partners/orders"));
    QVERIFY2(status == 401, body.constData());
    QVERIFY2(body.contains("900902"), body.constData());
}

void tst_Mtls::bothCredentialsAreNeededWhenAnded()
{
    const QStringList ops{QStringLiteral("-u"), QStringLiteral("ops:ops-pw")};
    auto [status, body] = curl(QStringLiteral("/partners/admin"), QStringLiteral("good"), ops);
    QVERIFY2(status == 200, body.constData());
    std::tie(status, body) = curl(QStringLiteral("/partners/admin"), QStringLiteral("good"));
    QVERIFY2(status == 401, body.constData());
    std::tie(status, body) = curl(QStringLiteral("/partners/admin"), QString(), ops);
    QVERIFY2(status == 401, body.constData());
}

void tst_Mtls::plainHttpHasNoCertificate()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/partners/orders");
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("code")).toString(), QStringLiteral("900902"));
}

void tst_Mtls::certificateForwardedByATrustedProxy()
{
    // A TLS-terminating load balancer in front passes the client's certificate in a header; only
    // peers in trustedProxies are believed. The same project twice: trusting loopback, and not.
    auto pem = [this](const QString &name) {
        QFile f(m_project.filePath(QStringLiteral("client/%1.crt").arg(name)));
        return f.open(QIODevice::ReadOnly) ? f.readAll().toPercentEncoding() : QByteArray();
    };
    for (const bool trusted : {true, false}) {
        TestProject project;
        QFile api(m_project.filePath(QStringLiteral("apis/partners.yaml")));
        QFile ca(m_project.filePath(QStringLiteral("client/ca.crt")));
        QVERIFY(api.open(QIODevice::ReadOnly) && ca.open(QIODevice::ReadOnly));
        QVERIFY(project.write(QStringLiteral("apis/partners.yaml"), api.readAll()));
        QVERIFY(project.write(QStringLiteral("client/ca.crt"), ca.readAll()));
        const QByteArray proxies = trusted ? "[127.0.0.1/32, '::1']" : "[10.0.0.0/8]";
        QVERIFY(project.write(QStringLiteral("gatehouse.yaml"),
                              settingsYaml("  https:\n"
                                           "    address: 127.0.0.1\n"
                                           "    clientCa: client/ca.crt\n"
                                           "    clientCertificateHeader: X-Client-Cert\n"
                                           "    trustedProxies: " + proxies + "\n")
                                  .replace("  https:\n    address: 127.0.0.1\n  admin:", "  admin:")));
        GatewayUnderTest g(currentGatewayMode());
        QVERIFY2(g.start(project.path(), 1), qPrintable(g.errorString()));
        HttpResponse r = httpRequest(g.httpPort(), "GET", "/partners/orders", {{"X-Client-Cert", pem(QStringLiteral("good"))}});
        if (trusted) {
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            QVERIFY2(m_upstream.lastRequest().header("X-Client-Cert").isNull(), "the forwarded certificate went upstream");
            r = httpRequest(g.httpPort(), "GET", "/partners/orders", {{"X-Client-Cert", pem(QStringLiteral("rogue"))}});
            QVERIFY2(r.status == 401 && r.json().value(QStringLiteral("code")).toString() == QStringLiteral("900901"),
                     qPrintable(r.describe()));
            r = httpRequest(g.httpPort(), "GET", "/partners/orders", {{"X-Client-Cert", "not%20a%20certificate"}});
            QVERIFY2(r.status == 401, qPrintable(r.describe()));
        } else {
            QVERIFY2(r.status == 401 && r.json().value(QStringLiteral("code")).toString() == QStringLiteral("900902"),
                     qPrintable(r.describe()));
        }
        g.stop();
    }
}

QTEST_GUILESS_MAIN(tst_Mtls)
#include "tst_mtls.moc"
