// gatehoused export: the petstore sample as a bundle holds no secret, answers as the project does,
// takes its secrets and overrides from the environment, and projects with errors are refused.
#include "testgateway.h"
#include "testupstream.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

const QByteArray kDemoHash = "pbkdf2-sha256$600000$11l6DsLF+vX+F4v6OKxIcg$DSOBbM7NvYi6AOK7V1wFnNApjIVL0Y7IMDEwAbE9vMk";
const QByteArray kHmacSecret = "batch-hmac-literal-9f3c1e77a2b04d6c8e5f";
const QByteArray kOpsPassword = "ops-literal-password-5d1a";
const QByteArray kAdminPassword = "admin-env-password-77c2";

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString relative = QDir(from).relativeFilePath(source);
        if (relative.startsWith(QStringLiteral("keys/")))
            continue;   // keys of the source tree's own runs
        const QString target = to + u'/' + relative;
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(source, target))
            return false;
    }
    return true;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool replaceIn(const QString &path, const QByteArray &before, const QByteArray &after)
{
    QByteArray text = readFile(path);
    if (!text.contains(before))
        return false;
    text.replace(before, after);
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray hs256Token(const QByteArray &scope)
{
    const QByteArray head = base64Url(R"({"alg":"HS256","typ":"JWT"})");
    const QByteArray claims = base64Url(QStringLiteral(R"({"iss":"batch","sub":"job","scope":"%1","exp":%2})")
                                            .arg(QString::fromLatin1(scope))
                                            .arg(QDateTime::currentSecsSinceEpoch() + 600)
                                            .toUtf8());
    const QByteArray input = head + '.' + claims;
    return input + '.' + base64Url(QMessageAuthenticationCode::hash(input, kHmacSecret, QCryptographicHash::Sha256));
}

// Status, and what identifies the answer: the upstream's echo of method and target, or the error code.
QString answer(const HttpResponse &r)
{
    const QJsonObject o = r.json();
    return QStringLiteral("%1 %2 %3 %4")
        .arg(r.status)
        .arg(o.value(QStringLiteral("method")).toString(), o.value(QStringLiteral("target")).toString(),
             o.value(QStringLiteral("code")).toVariant().toString());
}

} // namespace

class tst_Export : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void bundleHoldsTheProjectResolved();
    void bundleHoldsNoSecret();
    void bundleAnswersAsTheProject_data();
    void bundleAnswersAsTheProject();
    void environmentOverridesTheUpstream();
    void missingSecretOrBadOverrideStopsTheBundle_data();
    void missingSecretOrBadOverrideStopsTheBundle();
    void includeSecretsCopiesThemWithAWarning();
    void kubernetesManifestsForTheBundle();
    void projectWithErrorsIsNotExported();
    void usageErrors_data();
    void usageErrors();

private:
    ProcessResult exportProject(const QString &out, const QStringList &extra = {});
    void setBundleSecrets(bool set);

    TestUpstream m_upstream;
    QTemporaryDir m_work;
    QString m_source;
    QString m_bundle;
    QByteArray m_tlsKey;
    ProcessResult m_export;
    std::unique_ptr<GatewayUnderTest> m_sourceGateway;
    std::unique_ptr<GatewayUnderTest> m_bundleGateway;
};

ProcessResult tst_Export::exportProject(const QString &out, const QStringList &extra)
{
    return runProcess(gatehousedPath(), QStringList{QStringLiteral("export"), m_source, QStringLiteral("--out"), out} + extra,
                      60'000);
}

void tst_Export::setBundleSecrets(bool set)
{
    const QList<QPair<const char *, QByteArray>> secrets{{"GATEHOUSE_USER_DEMO_PASSWORD_HASH", kDemoHash},
                                                          {"GATEHOUSE_USER_OPS_TEAM_PASSWORD", kOpsPassword},
                                                          {"GATEHOUSE_ISSUER_BATCH_JOBS_SECRET", kHmacSecret}};
    for (const auto &[name, value] : secrets)
        set ? qputenv(name, value) : qunsetenv(name);
}

void tst_Export::initTestCase()
{
    if (gatehousedPath().isEmpty())
        QSKIP("GATEHOUSED is not set (ctest sets it)");
    QVERIFY(m_upstream.start());
    QVERIFY(m_work.isValid());
    m_source = m_work.filePath(QStringLiteral("petstore"));
    m_bundle = m_work.filePath(QStringLiteral("bundle"));
    const QString sample = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/samples/petstore");
    QVERIFY2(copyTree(sample, m_source), qPrintable(sample));

    // The sample, pointed at the test upstream, with literal secrets and a $ref into another file.
    const QString api = m_source + QStringLiteral("/apis/petstore.yaml");
    QVERIFY(replaceIn(api, "http://127.0.0.1:8080/api", m_upstream.url(QStringLiteral("/api")).toUtf8()));
    QVERIFY(replaceIn(api, "            $ref: '#/components/schemas/Error'", "            $ref: 'common/errors.yaml#/Error'"));
    QVERIFY(QDir().mkpath(m_source + QStringLiteral("/apis/common")));
    QFile errors(m_source + QStringLiteral("/apis/common/errors.yaml"));
    QVERIFY(errors.open(QIODevice::WriteOnly));
    errors.write("Error:\n  type: object\n  required: [code, message]\n  properties:\n    code:\n      $ref: '#/Code'\n"
                 "    message:\n      type: string\nCode:\n  type: integer\n  description: inlined-from-errors-yaml\n");
    errors.close();
    const QString settings = m_source + QStringLiteral("/gatehouse.yaml");
    QVERIFY(replaceIn(settings, "  issuers:\n",
                      "  issuers:\n    - name: batch-jobs\n      issuer: batch\n      secret: " + kHmacSecret
                          + "\n      algorithms: [HS256]\n"));
    QVERIFY(replaceIn(settings, "  users:\n",
                      "  users:\n    - {name: ops-team, password: '" + kOpsPassword + "', scopes: [pets:read]}\n"));
    qputenv("GATEHOUSE_ADMIN_PASSWORD", kAdminPassword);

    // First run: the gateway generates its keys in the project, as in the workbench.
    m_sourceGateway = std::make_unique<GatewayUnderTest>(GatewayMode::Daemon);
    QVERIFY2(m_sourceGateway->start(m_source), qPrintable(m_sourceGateway->errorString()));
    m_tlsKey = readFile(m_source + QStringLiteral("/keys/tls.key"));
    QVERIFY2(m_tlsKey.contains("PRIVATE KEY"), "the first run generated no TLS key");

    m_export = exportProject(m_bundle);
    QVERIFY2(m_export.finished && m_export.exitCode == 0, qPrintable(m_export.describe()));
}

void tst_Export::cleanupTestCase()
{
    if (m_bundleGateway)
        m_bundleGateway->stop();
    if (m_sourceGateway)
        m_sourceGateway->stop();
    m_upstream.stop();
}

void tst_Export::bundleHoldsTheProjectResolved()
{
    for (const char *file : {"gatehouse.yaml", "apis/petstore.yaml", "protos/greeter.proto", "README.md",
                             "gatehouse-bundle.json"})
        QVERIFY2(QFileInfo::exists(m_bundle + u'/' + QLatin1String(file)), file);
    QVERIFY2(!QFileInfo::exists(m_bundle + QStringLiteral("/apis/common")), "the $ref'd fragment was copied");
    const QByteArray api = readFile(m_bundle + QStringLiteral("/apis/petstore.yaml"));
    QVERIFY2(api.contains("inlined-from-errors-yaml"), "the external $ref was not inlined");
    QVERIFY(!api.contains("errors.yaml"));
    QVERIFY2(api.contains("\"$ref\": \"#/components/schemas/Pet\""), "local $refs must stay references");
    QVERIFY2(api.indexOf("\"/pets\"") < api.indexOf("\"/pets/findByStatus\""), "paths lost their order");
    QVERIFY(readFile(m_bundle + QStringLiteral("/README.md")).contains("gatehoused serve"));
    const QByteArray settings = readFile(m_bundle + QStringLiteral("/gatehouse.yaml"));
    QVERIFY2(settings.contains("# Gatehouse project settings for the petstore sample."), "comments were lost");
    const QJsonObject marker = QJsonDocument::fromJson(readFile(m_bundle + QStringLiteral("/gatehouse-bundle.json"))).object();
    const QByteArray variables = QJsonDocument(marker.value(QStringLiteral("environment")).toArray()).toJson();
    for (const char *name : {"GATEHOUSE_HTTP_PORT", "GATEHOUSE_API_PETSTORE_ENDPOINTS", "GATEHOUSE_GRPC_HELLOWORLD_GREETER_ENDPOINTS",
                             "GATEHOUSE_USER_DEMO_PASSWORD_HASH", "GATEHOUSE_ADMIN_PASSWORD"})
        QVERIFY2(variables.contains(name), name);
}

void tst_Export::bundleHoldsNoSecret()
{
    QByteArray keyBody = m_tlsKey;
    keyBody = keyBody.split('\n').value(1);   // the first base64 line of the private key
    QVERIFY(keyBody.size() > 40);
    const QList<QByteArray> secrets{kDemoHash, kHmacSecret, kOpsPassword, kAdminPassword, keyBody};
    QDirIterator it(m_bundle, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray bytes = readFile(path);
        ++files;
        for (const QByteArray &secret : secrets)
            QVERIFY2(!bytes.contains(secret), qPrintable(QStringLiteral("%1 holds a secret").arg(path)));
        const qsizetype begin = bytes.indexOf("-----BEGIN");
        QVERIFY2(begin < 0 || !bytes.mid(begin).contains("PRIVATE KEY"), qPrintable(path + QStringLiteral(" holds a private key")));
    }
    QVERIFY(files >= 5);
    const QByteArray settings = readFile(m_bundle + QStringLiteral("/gatehouse.yaml"));
    for (const char *ref : {"${env:GATEHOUSE_USER_DEMO_PASSWORD_HASH}", "${env:GATEHOUSE_USER_OPS_TEAM_PASSWORD}",
                            "${env:GATEHOUSE_ISSUER_BATCH_JOBS_SECRET}", "${env:GATEHOUSE_ADMIN_PASSWORD}"})
        QVERIFY2(settings.contains(ref), ref);
    QVERIFY2(m_export.out.contains("left out (secret): keys/tls.key"), m_export.out.constData());
}

void tst_Export::bundleAnswersAsTheProject_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");   // 0 = only the same as the project's
    QTest::newRow("an open operation reaches the upstream") << QByteArray("GET") << QByteArray("/petstore/v1/health") << QByteArray() << 200;
    QTest::newRow("no credentials are refused") << QByteArray("GET") << QByteArray("/petstore/v1/pets") << QByteArray() << 401;
    QTest::newRow("a Basic user with a hash from the environment") << QByteArray("DELETE") << QByteArray("/petstore/v1/pets/7")
                                                                    << basicAuthorization("demo", "demo") << 200;
    QTest::newRow("a Basic user with a password from the environment") << QByteArray("DELETE") << QByteArray("/petstore/v1/pets/8")
                                                                        << basicAuthorization("ops-team", kOpsPassword) << 200;
    QTest::newRow("a wrong password") << QByteArray("DELETE") << QByteArray("/petstore/v1/pets/7") << basicAuthorization("demo", "nope") << 401;
    QTest::newRow("an HMAC token with the scope") << QByteArray("GET") << QByteArray("/petstore/v1/pets")
                                                  << QByteArray("Bearer " + hs256Token("pets:read")) << 0;
    QTest::newRow("an HMAC token without the scope") << QByteArray("POST") << QByteArray("/petstore/v1/pets")
                                                     << QByteArray("Bearer " + hs256Token("pets:read")) << 0;
    QTest::newRow("an unknown path") << QByteArray("GET") << QByteArray("/nowhere") << QByteArray() << 404;
}

void tst_Export::bundleAnswersAsTheProject()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    if (!m_bundleGateway) {
        setBundleSecrets(true);
        m_bundleGateway = std::make_unique<GatewayUnderTest>(GatewayMode::Daemon);
        QVERIFY2(m_bundleGateway->start(m_bundle), qPrintable(m_bundleGateway->errorString()));
    }
    FieldPairs headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    const HttpResponse fromProject = httpRequest(m_sourceGateway->httpPort(), method, target, headers);
    const HttpResponse fromBundle = httpRequest(m_bundleGateway->httpPort(), method, target, headers);
    QVERIFY2(fromProject.complete, qPrintable(fromProject.describe()));
    if (status)
        QCOMPARE(fromProject.status, status);
    QCOMPARE(answer(fromBundle), answer(fromProject));
}

void tst_Export::environmentOverridesTheUpstream()
{
    setBundleSecrets(true);
    TestUpstream other;
    QVERIFY(other.start());
    qputenv("GATEHOUSE_API_PETSTORE_ENDPOINTS", other.url(QStringLiteral("/v2")).toUtf8());
    GatewayUnderTest gateway(GatewayMode::Daemon);
    const bool started = gateway.start(m_bundle);
    qunsetenv("GATEHOUSE_API_PETSTORE_ENDPOINTS");
    QVERIFY2(started, qPrintable(gateway.errorString()));
    const int before = other.requestCount();
    const HttpResponse r = httpRequest(gateway.httpPort(), "GET", "/petstore/v1/health");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("target")).toString(), QStringLiteral("/v2/health"));
    QCOMPARE(other.requestCount(), before + 1);
    QCOMPARE(gateway.stop(), 0);
}

void tst_Export::missingSecretOrBadOverrideStopsTheBundle_data()
{
    QTest::addColumn<QByteArray>("variable");
    QTest::addColumn<QByteArray>("value");   // empty = unset
    QTest::addColumn<QString>("message");
    QTest::newRow("a password hash that is not set") << QByteArray("GATEHOUSE_USER_DEMO_PASSWORD_HASH") << QByteArray()
                                                     << QStringLiteral("GATEHOUSE_USER_DEMO_PASSWORD_HASH");
    QTest::newRow("a port that is not a number") << QByteArray("GATEHOUSE_HTTP_PORT") << QByteArray("http")
                                                 << QStringLiteral("environment variable GATEHOUSE_HTTP_PORT: error: 'http' is not a port number");
    QTest::newRow("an endpoint that is not a URL") << QByteArray("GATEHOUSE_API_PETSTORE_ENDPOINTS") << QByteArray("pets:80")
                                                   << QStringLiteral("environment variable GATEHOUSE_API_PETSTORE_ENDPOINTS: error:");
}

void tst_Export::missingSecretOrBadOverrideStopsTheBundle()
{
    QFETCH(QByteArray, variable);
    QFETCH(QByteArray, value);
    QFETCH(QString, message);
    setBundleSecrets(true);
    value.isEmpty() ? qunsetenv(variable.constData()) : qputenv(variable.constData(), value);
    const ProcessResult p = runProcess(gatehousedPath(), {QStringLiteral("serve"), m_bundle, QStringLiteral("--admin-port"),
                                                          QStringLiteral("0"), QStringLiteral("--https-port"), QStringLiteral("0")},
                                       20'000);
    qunsetenv(variable.constData());
    setBundleSecrets(true);
    QVERIFY2(p.finished && p.exitCode == 1, qPrintable(p.describe()));
    QVERIFY2(QString::fromUtf8(p.err).contains(message), qPrintable(p.describe()));
}

void tst_Export::includeSecretsCopiesThemWithAWarning()
{
    const QString out = m_work.filePath(QStringLiteral("with-secrets"));
    const ProcessResult p = exportProject(out, {QStringLiteral("--include-secrets")});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QVERIFY2(p.err.contains("WARNING: --include-secrets"), p.err.constData());
    QCOMPARE(readFile(out + QStringLiteral("/keys/tls.key")), m_tlsKey);
    QCOMPARE(QFile::permissions(out + QStringLiteral("/keys/tls.key")) & (QFile::ReadOther | QFile::ReadGroup),
             QFile::Permissions());
    QVERIFY(readFile(out + QStringLiteral("/gatehouse.yaml")).contains(kHmacSecret));
}

void tst_Export::kubernetesManifestsForTheBundle()
{
    const QString k8s = m_work.filePath(QStringLiteral("k8s"));
    const ProcessResult p = exportProject(m_work.filePath(QStringLiteral("k8s-bundle")), {QStringLiteral("--k8s"), k8s});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    for (const char *file : {"deployment.yaml", "service.yaml", "configmap.yaml", "secret.yaml", "hpa.yaml"})
        QVERIFY2(QFileInfo::exists(k8s + u'/' + QLatin1String(file)), file);
    QVERIFY2(!QFileInfo::exists(k8s + QStringLiteral("/redis.yaml")), "the sample counts locally");
    QVERIFY(readFile(k8s + QStringLiteral("/deployment.yaml")).contains("image: \"gatehouse/petstore:latest\""));
    const QByteArray secret = readFile(k8s + QStringLiteral("/secret.yaml"));
    for (const char *name : {"GATEHOUSE_USER_DEMO_PASSWORD_HASH: \"\"", "GATEHOUSE_ISSUER_BATCH_JOBS_SECRET: \"\"",
                             "GATEHOUSE_ADMIN_PASSWORD: \"\"", "\"apikey.pem\": \"\""})
        QVERIFY2(secret.contains(name), name);
    const QByteArray config = readFile(k8s + QStringLiteral("/configmap.yaml"));
    QVERIFY(config.contains("GATEHOUSE_API_PETSTORE_ENDPOINTS: \"" + m_upstream.url(QStringLiteral("/api")).toUtf8() + '"'));
    QVERIFY(!config.contains(kDemoHash));
}

void tst_Export::projectWithErrorsIsNotExported()
{
    TestProject broken;
    QVERIFY(broken.write(QStringLiteral("gatehouse.yaml"), "version: 1\nlisteners:\n  http:\n    port: 99999\n"));
    QVERIFY(broken.write(QStringLiteral("apis/a.yaml"), apiYaml(QStringLiteral("A"), QStringLiteral("/a"), m_upstream.url(),
                                                               {QStringLiteral("/x GET")})));
    const QString out = m_work.filePath(QStringLiteral("broken-bundle"));
    const ProcessResult p = runProcess(gatehousedPath(), {QStringLiteral("export"), broken.path(), QStringLiteral("--out"), out});
    QVERIFY2(p.finished && p.exitCode == 1, qPrintable(p.describe()));
    QVERIFY2(QRegularExpression(QStringLiteral("gatehouse\\.yaml:4:\\d+: error: ")).match(QString::fromUtf8(p.err)).hasMatch(),
             qPrintable(p.describe()));
    QVERIFY(p.err.contains("gatehoused export: not exported"));
    QVERIFY2(!QFileInfo::exists(out), "a bundle was written for a project with errors");
}

void tst_Export::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("no --out") << QStringList{QStringLiteral("export"), QStringLiteral("somewhere")} << 2;
    QTest::newRow("an unknown option") << QStringList{QStringLiteral("export"), QStringLiteral("x"), QStringLiteral("--outt"),
                                                      QStringLiteral("y")} << 2;
    QTest::newRow("--out without a folder") << QStringList{QStringLiteral("export"), QStringLiteral("x"), QStringLiteral("--out")} << 2;
}

void tst_Export::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    const ProcessResult p = runProcess(gatehousedPath(), arguments);
    QVERIFY2(p.finished && p.exitCode == exitCode, qPrintable(p.describe()));
    QVERIFY(p.err.contains("Usage: gatehoused export"));
}

QTEST_GUILESS_MAIN(tst_Export)
#include "tst_export.moc"
