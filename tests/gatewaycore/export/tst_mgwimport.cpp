// importMgwProject over the MGW 3.2 sample in data/mgw-petstore: what is carried over, what is
// reported, that the result passes the check, that secrets stay out of gatehouse.yaml; and hostile
// projects (bad TOML, broken YAML, missing folders) refused at file:line:col with nothing written.
#include "export/mgwimport.h"

#include "project/project.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_MgwImport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void detectsTheLayout();
    void importsTheSampleProject();
    void reportsWhatIsNotCarriedOver_data();
    void reportsWhatIsNotCarriedOver();
    void certificatesByAliasBecomeIssuers();
    void refusesBrokenProjects_data();
    void refusesBrokenProjects();
    void refusesUnsafeOutputFolders();
    void symbolicLinksAreNotFollowed();

private:
    QString m_sample;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_mgw;   // a fresh copy of the sample per test
    QString m_out;
};

static void copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + u'/' + QDir(from).relativeFilePath(file);
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile::copy(file, target);
    }
}

static QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

static void writeAll(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

void tst_MgwImport::initTestCase()
{
    m_sample = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/gatewaycore/export/data/mgw-petstore");
    QVERIFY(QFileInfo::exists(m_sample + QStringLiteral("/conf/micro-gw.conf")));
}

void tst_MgwImport::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_mgw = m_tmp->filePath(QStringLiteral("petstore"));
    m_out = m_tmp->filePath(QStringLiteral("imported"));
    copyTree(m_sample, m_mgw);
}

void tst_MgwImport::detectsTheLayout()
{
    const MgwLayout layout = detectMgwLayout(m_mgw);
    QVERIFY(layout.isMgw());
    QCOMPARE(layout.apiDir, QStringLiteral("api_definitions"));
    QCOMPARE(layout.apiFiles, QStringList({QStringLiteral("api_definitions/inventory.json"),
                                           QStringLiteral("api_definitions/petstore.yaml")}));
    QCOMPARE(layout.wso2ApiFiles, 2);
    QCOMPARE(layout.protoFiles, QStringList{QStringLiteral("grpc_definitions/order_service.proto")});
    QCOMPARE(layout.runtimeConfig, QStringLiteral("conf/micro-gw.conf"));
    QCOMPARE(layout.deploymentConfig, QStringLiteral("conf/deployment-config.toml"));
    QCOMPARE(layout.policies, QStringLiteral("policies.yaml"));
    QCOMPARE(layout.interceptors, QStringList{QStringLiteral("interceptors/validate_request.bal")});
    QCOMPARE(layout.otherFolders, QStringList{QStringLiteral("lib")});
    const QString petstore = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/samples/petstore");
    QVERIFY(!detectMgwLayout(petstore).isMgw());
    QVERIFY(!detectMgwLayout(m_tmp->path()).isMgw());
}

void tst_MgwImport::importsTheSampleProject()
{
    Diagnostics d;
    const Result<MgwImportResult> result = importMgwProject({m_mgw, m_out, {}, {}}, d);
    QVERIFY2(result, qPrintable(d.toString() + (result ? QString() : result.error().message)));
    QVERIFY2(!result->check.hasErrors(), qPrintable(result->check.toString()));
    for (const QString &file : {QStringLiteral("gatehouse.yaml"), QStringLiteral("apis/petstore.yaml"),
                                QStringLiteral("apis/inventory.json"), QStringLiteral("protos/order_service.proto"),
                                QStringLiteral("IMPORT-REPORT.md"), QStringLiteral("mgw-interceptors/validate_request.bal")})
        QVERIFY2(result->files.contains(file), qPrintable(file));

    // The project as the gateway sees it: MGW's settings under their Gatehouse names.
    Diagnostics load;
    const Project project = Project::load(m_out, load);
    QVERIFY2(!load.hasErrors(), qPrintable(load.toString()));
    QCOMPARE(project.apis.size(), 2);
    QCOMPARE(project.protos.services.size(), 1);
    QCOMPARE(project.settings.listeners.http.port, quint16(9590));
    QCOMPARE(project.settings.listeners.https.port, quint16(9595));
    QCOMPARE(project.settings.listeners.admin.port, quint16(9596));
    QCOMPARE(project.settings.throttling.tiers.value(QStringLiteral("Nightly")).unitTime, 6);
    QVERIFY(!project.settings.throttling.tiers.value(QStringLiteral("Nightly")).stopOnQuotaReach);
    QCOMPARE(project.settings.throttling.tiers.value(QStringLiteral("20kPerMin")).count, qint64(20000));

    // Secrets of micro-gw.conf live in keys/ (0600), never as literals in gatehouse.yaml.
    const QByteArray yaml = readAll(m_out + QStringLiteral("/gatehouse.yaml"));
    QVERIFY(yaml.contains("jwksUrl: https://login.example.com/.well-known/jwks.json"));
    QVERIFY(yaml.contains("introspectionUrl: https://localhost:9443/oauth2/introspect"));
    QVERIFY(yaml.contains("clientSecret: ${file:keys/mgw-key-manager-password}"));
    QVERIFY(!yaml.contains("s3cret-operator"));
    QVERIFY(!yaml.contains("clientSecret: admin"));
    const QString secret = m_out + QStringLiteral("/keys/mgw-user-operator-password");
    QCOMPARE(readAll(secret), QByteArray("s3cret-operator"));
    QCOMPARE(QFileInfo(secret).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());

    // The Ballerina interceptor is commented out where it was named; MGW's files are untouched.
    const QByteArray api = readAll(m_out + QStringLiteral("/apis/petstore.yaml"));
    QVERIFY(api.contains("# x-wso2-request-interceptor: validateRequest"));
    QVERIFY(!readAll(m_out + QStringLiteral("/apis/inventory.json")).contains("interceptor"));
    QCOMPARE(readAll(m_mgw + QStringLiteral("/api_definitions/petstore.yaml")),
             readAll(m_sample + QStringLiteral("/api_definitions/petstore.yaml")));

    const QByteArray report = readAll(m_out + QStringLiteral("/IMPORT-REPORT.md"));
    QVERIFY(report.contains("## Not carried over"));
    QVERIFY(report.contains("`api_definitions/petstore.yaml:48:7` interceptor 'validateRequest'"));
    QCOMPARE(report, result->reportMarkdown().toUtf8());
}

void tst_MgwImport::reportsWhatIsNotCarriedOver_data()
{
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("what");
    QTest::newRow("an issuer whose key is only a truststore alias")
        << "conf/micro-gw.conf:25:1" << "[[jwtTokenConfig]] issuer https://localhost:9443/oauth2/token";
    QTest::newRow("the TLS key store") << "conf/micro-gw.conf:6:18" << "[listenerConfig] keyStorePath";
    QTest::newRow("API keys of another issuer") << "conf/micro-gw.conf:51:1" << "[[apikey.tokenConfigs]] issuer https://apim.example.com/apikey";
    QTest::newRow("analytics") << "conf/micro-gw.conf:62:1" << "[analytics]";
    QTest::newRow("subscription validation") << "conf/micro-gw.conf:38:26" << "[[jwtTokenConfig]] validateSubscription";
    QTest::newRow("a Java interceptor") << "api_definitions/inventory.json" << "interceptor 'java:org.example.mgw.AddTraceHeader' (a Java class from lib/)";
    QTest::newRow("Docker settings") << "conf/deployment-config.toml" << "Docker and Kubernetes settings";
    QTest::newRow("Java libraries") << "" << "lib/";
}

void tst_MgwImport::reportsWhatIsNotCarriedOver()
{
    QFETCH(QString, where);
    QFETCH(QString, what);
    Diagnostics d;
    const Result<MgwImportResult> result = importMgwProject({m_mgw, m_out, {}, {}}, d);
    QVERIFY(result);
    QStringList seen;
    for (const MgwImportNote &n : result->notCarried) {
        seen.append(n.where.toString() + u' ' + n.what);
        if (n.where.toString() == where && n.what == what) {
            QVERIFY(!n.why.isEmpty());
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("not reported; the notes are:\n") + seen.join(u'\n')));
}

void tst_MgwImport::certificatesByAliasBecomeIssuers()
{
    // With the truststore's certificate exported as <alias>.pem, the resident key manager is carried.
    const QString certs = m_tmp->filePath(QStringLiteral("certs"));
    const QString pem = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/gatewaycore/export/data/wso2apim310.pem");
    QVERIFY(QFileInfo::exists(pem));
    QDir().mkpath(certs);
    QVERIFY(QFile::copy(pem, certs + QStringLiteral("/wso2apim310.pem")));
    Diagnostics d;
    const Result<MgwImportResult> result = importMgwProject({m_mgw, m_out, {}, certs}, d);
    QVERIFY(result);
    QVERIFY2(!result->check.hasErrors(), qPrintable(result->check.toString()));
    const QByteArray yaml = readAll(m_out + QStringLiteral("/gatehouse.yaml"));
    QVERIFY(yaml.contains("certificate: certs/wso2apim310.pem"));
    QVERIFY(yaml.contains("issuer: https://localhost:9443/oauth2/token"));
    QVERIFY(yaml.contains("application: aud"));
    QVERIFY(QFileInfo::exists(m_out + QStringLiteral("/certs/wso2apim310.pem")));
}

void tst_MgwImport::refusesBrokenProjects_data()
{
    QTest::addColumn<QString>("file");      // in the MGW project; empty = remove `content` (a folder)
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");  // the start of the first diagnostic, or of the error
    QTest::newRow("micro-gw.conf with a missing equals sign")
        << "conf/micro-gw.conf" << QByteArray("[listenerConfig]\nhttpPort 9090\n")
        << "conf/micro-gw.conf:2:10: error: expected '=' after the key 'httpPort'";
    QTest::newRow("micro-gw.conf with a port that is text")
        << "conf/micro-gw.conf" << QByteArray("[listenerConfig]\nhttpPort = \"ninety\"\n")
        << "conf/micro-gw.conf:2:12: error: 'httpPort' in [listenerConfig] must be an integer, found a string";
    QTest::newRow("micro-gw.conf with a port out of range")
        << "conf/micro-gw.conf" << QByteArray("[listenerConfig]\nhttpsPort = 70000\n")
        << "conf/micro-gw.conf:2:13: error: 'httpsPort' in [listenerConfig] is 70000, not a port";
    QTest::newRow("micro-gw.conf with a key manager URL that is not one")
        << "conf/micro-gw.conf" << QByteArray("[keyManager]\nserverUrl = \"localhost\"\n")
        << "conf/micro-gw.conf:2:13: error: serverUrl in [keyManager] is not an http(s) URL";
    QTest::newRow("deployment-config.toml with an unclosed header")
        << "conf/deployment-config.toml" << QByteArray("[docker\n")
        << "conf/deployment-config.toml:1:8: error: expected ']'";
    QTest::newRow("policies.yaml that is not YAML")
        << "policies.yaml" << QByteArray("resourcePolicies:\n  - 10kPerMin: {count: 1\n")
        << "policies.yaml:";
    QTest::newRow("an API definition with broken YAML")
        << "api_definitions/petstore.yaml" << QByteArray("openapi: 3.0.1\ninfo: [unclosed\n")
        << "api_definitions/petstore.yaml:";
    QTest::newRow("a project without api_definitions or grpc_definitions")
        << "" << QByteArray("api_definitions grpc_definitions") << "is not a WSO2 Microgateway 3.x project";
}

void tst_MgwImport::refusesBrokenProjects()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    if (file.isEmpty()) {
        for (const QByteArray &dir : content.split(' '))
            QVERIFY(QDir(m_mgw + u'/' + QString::fromUtf8(dir)).removeRecursively());
    } else {
        writeAll(m_mgw + u'/' + file, content);
    }
    Diagnostics d;
    const Result<MgwImportResult> result = importMgwProject({m_mgw, m_out, {}, {}}, d);
    QVERIFY(!result);
    const QString first = d.isEmpty() ? result.error().message : d.items().first().toString();
    QVERIFY2(first.startsWith(expected) || first.contains(expected), qPrintable(first));
    QVERIFY2(!QFileInfo::exists(m_out), "nothing is written for a broken project");
}

void tst_MgwImport::refusesUnsafeOutputFolders()
{
    Diagnostics d;
    const Result<MgwImportResult> inside = importMgwProject({m_mgw, m_mgw + QStringLiteral("/gh"), {}, {}}, d);
    QVERIFY(!inside);
    QVERIFY(inside.error().message.contains(QStringLiteral("inside the MGW project")));
    writeAll(m_out + QStringLiteral("/keep.txt"), "mine");
    const Result<MgwImportResult> nonEmpty = importMgwProject({m_mgw, m_out, {}, {}}, d);
    QVERIFY(!nonEmpty);
    QVERIFY(nonEmpty.error().message.contains(QStringLiteral("not an empty folder")));
    QCOMPARE(readAll(m_out + QStringLiteral("/keep.txt")), QByteArray("mine"));
}

void tst_MgwImport::symbolicLinksAreNotFollowed()
{
    // A project could point at any file of the importing machine; links are reported, never copied.
    writeAll(m_tmp->filePath(QStringLiteral("outside/secret.txt")), "not for the project");
    QVERIFY(QFile::link(m_tmp->filePath(QStringLiteral("outside/secret.txt")), m_mgw + QStringLiteral("/interceptors/leak.bal")));
    QVERIFY(QFile::link(m_sample + QStringLiteral("/api_definitions/petstore.yaml"), m_mgw + QStringLiteral("/api_definitions/linked.yaml")));
    Diagnostics d;
    const Result<MgwImportResult> result = importMgwProject({m_mgw, m_out, {}, {}}, d);
    QVERIFY2(result, qPrintable(d.toString()));
    QVERIFY(!QFileInfo::exists(m_out + QStringLiteral("/mgw-interceptors/leak.bal")));
    QVERIFY(!QFileInfo::exists(m_out + QStringLiteral("/apis/linked.yaml")));
    int links = 0;
    for (const MgwImportNote &n : result->notCarried)
        links += n.why.startsWith(QStringLiteral("a symbolic link")) ? 1 : 0;
    QCOMPARE(links, 2);
}

QTEST_GUILESS_MAIN(tst_MgwImport)
#include "tst_mgwimport.moc"
