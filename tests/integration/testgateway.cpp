// The gateway under test, in-process or as `gatehoused serve`, on a temporary project.
#include "testgateway.h"

#include "base/diagnostic.h"
#include "engine/gatewayengine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTest>

#include <csignal>
#include <unistd.h>

namespace Gatehouse::Test {

TestProject::TestProject()
{
    m_dir.setAutoRemove(qEnvironmentVariableIsEmpty("GATEHOUSE_KEEP_TEST_PROJECTS"));
}

bool TestProject::write(const QString &relative, const QByteArray &content) const
{
    const QString file = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(file).absolutePath());
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

bool TestProject::remove(const QString &relative) const
{
    return QFile::remove(m_dir.filePath(relative));
}

QByteArray settingsYaml(const QByteArray &extraSections)
{
    QByteArray y = "version: 1\n"
                   "name: integration\n"
                   "listeners:\n"
                   "  http:\n"
                   "    address: 127.0.0.1\n"
                   "  https:\n"
                   "    address: 127.0.0.1\n"
                   "  admin:\n"
                   "    address: 127.0.0.1\n";
    return y + extraSections;
}

QByteArray apiYaml(const QString &title, const QString &basePath, const QString &serverUrl,
                   const QStringList &operations, const QByteArray &extra)
{
    QString y = QStringLiteral("openapi: 3.0.3\ninfo:\n  title: %1\n  version: '1.0'\n").arg(title);
    if (!basePath.isEmpty())
        y += QStringLiteral("x-gatehouse-basePath: %1\n").arg(basePath);
    if (!serverUrl.isEmpty())
        y += QStringLiteral("servers:\n  - url: %1\n").arg(serverUrl);
    y += QString::fromUtf8(extra);
    y += QStringLiteral("paths:\n");
    for (const QString &line : operations) {
        const QStringList parts = line.split(u' ', Qt::SkipEmptyParts);
        y += QStringLiteral("  '%1':\n").arg(parts.value(0));
        static const QRegularExpression parameter(QStringLiteral("\\{(\\w+)\\}"));
        QRegularExpressionMatchIterator it = parameter.globalMatch(parts.value(0));
        if (it.hasNext())
            y += QStringLiteral("    parameters:\n");
        while (it.hasNext()) {
            y += QStringLiteral("      - {name: %1, in: path, required: true, schema: {type: string}}\n")
                     .arg(it.next().captured(1));
        }
        for (qsizetype i = 1; i < parts.size(); ++i) {
            y += QStringLiteral("    %1:\n      responses:\n        '200':\n          description: ok\n")
                     .arg(parts.at(i).toLower());
        }
    }
    return y.toUtf8();
}

QByteArray apiYamlHead(const QString &title, const QString &version, const QString &basePath,
                       const QString &serverUrl)
{
    return QStringLiteral("openapi: 3.0.3\n"
                          "info: {title: %1, version: '%2'}\n"
                          "x-gatehouse-basePath: %3\n"
                          "servers: [{url: '%4'}]\n")
        .arg(title, version, basePath, serverUrl)
        .toUtf8();
}

QByteArray oauthOrdersApiYaml(const QString &serverUrl, const QString &tokenIssuer)
{
    return apiYamlHead(QStringLiteral("Orders"), QStringLiteral("1"), QStringLiteral("/orders"), serverUrl)
         + QStringLiteral(R"(components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: %1/token
          scopes: {read: read orders, write: change orders}
security: [{oauth: [read]}]
paths:
  /list:
    get: {responses: {'200': {description: ok}}}
  /change:
    post:
      security: [{oauth: [write]}]
      responses: {'200': {description: ok}}
)").arg(tokenIssuer).toUtf8();
}

QByteArray keyManagerSettings(const QString &name, const QString &introspectionUrl,
                              const QString &clientSecret, const QString &cacheTtl)
{
    return QStringLiteral(R"(security:
  keyManagers:
    - name: %1
      introspectionUrl: %2
      clientId: gatehouse
      clientSecret: %3
      cacheTtl: %4
)").arg(name, introspectionUrl, clientSecret, cacheTtl).toUtf8();
}

QString gatehousedPath()
{
    return qEnvironmentVariable("GATEHOUSED");
}

ProcessResult runGatehoused(const QStringList &args)
{
    return runProcess(gatehousedPath(), args, 60'000);
}

bool writeTestFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

QByteArray readTestFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

GatewayUnderTest::GatewayUnderTest(GatewayMode mode) : m_mode(mode) {}

// A sanitizer build's report (AddressSanitizer, LeakSanitizer at exit, UndefinedBehaviorSanitizer,
// ThreadSanitizer) in the daemon's stderr.
static bool hasSanitizerReport(const QByteArray &stderrText)
{
    return stderrText.contains("ERROR: AddressSanitizer") || stderrText.contains("ERROR: LeakSanitizer")
           || stderrText.contains(": runtime error: ") || stderrText.contains("WARNING: ThreadSanitizer");
}

GatewayUnderTest::~GatewayUnderTest()
{
    m_stopping = true;
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    if (m_engine)
        m_engine->stopAndWait();
}

QString GatewayUnderTest::name() const
{
    return m_mode == GatewayMode::InProcess ? QStringLiteral("in-process") : QStringLiteral("gatehoused");
}

bool GatewayUnderTest::start(const QString &projectDir, int workers)
{
    m_error.clear();
    m_http = m_https = m_admin = 0;
    if (m_mode == GatewayMode::InProcess) {
        m_engine = std::make_unique<GatewayEngine>();
        GatewayEngine::Options o;
        o.projectDir = projectDir;
        o.httpPort = 0;
        o.httpsPort = 0;
        o.adminPort = 0;
        o.workers = workers;
        Diagnostics d;
        if (!m_engine->start(o, d)) {
            m_error = d.toString();
            return false;
        }
        m_http = m_engine->httpPort();
        m_https = m_engine->httpsPort();
        m_admin = m_engine->adminPort();
        return true;
    }

    if (gatehousedPath().isEmpty()) {
        m_error = QStringLiteral("GATEHOUSED is not set (ctest sets it to the gatehoused binary)");
        return false;
    }
    m_stdout.clear();
    m_stderr.clear();
    m_process = std::make_unique<QProcess>();
    QProcess *p = m_process.get();
    QObject::connect(p, &QProcess::readyReadStandardOutput, p, [this, p] { m_stdout += p->readAllStandardOutput(); });
    QObject::connect(p, &QProcess::readyReadStandardError, p, [this, p] { m_stderr += p->readAllStandardError(); });
    // A daemon that dies while its test still runs fails that test's later checks with no word of
    // why: say how it ended and what it wrote last.
    m_stopping = false;
    QObject::connect(p, &QProcess::finished, p, [this, p](int code, QProcess::ExitStatus status) {
        if (m_stopping)
            return;
        m_stderr += p->readAllStandardError();
        qWarning("gatehoused ended while the test ran (%s %d); the end of its stderr:\n%s",
                 status == QProcess::CrashExit ? "killed by signal" : "exit code", code,
                 m_stderr.right(4000).constData());
    });
    endsWithTest(*p);
    p->start(gatehousedPath(), {QStringLiteral("serve"), projectDir, QStringLiteral("--http-port"), QStringLiteral("0"),
                                QStringLiteral("--https-port"), QStringLiteral("0"), QStringLiteral("--admin-port"),
                                QStringLiteral("0"), QStringLiteral("--workers"), QString::number(workers)});
    // serve prints the admin line last, once every listener is open.
    waitUntil([&] { return m_stdout.contains("admin  http") || p->state() == QProcess::NotRunning; }, 30'000);
    if (!m_stdout.contains("admin  http")) {
        m_error = QStringLiteral("gatehoused did not start: %1").arg(QString::fromLocal8Bit(m_stdout + m_stderr));
        return false;
    }
    const QString out = QString::fromLocal8Bit(m_stdout);
    auto port = [&out](const QString &pattern) {
        const QRegularExpressionMatch m = QRegularExpression(pattern).match(out);
        return m.hasMatch() ? quint16(m.captured(1).toUInt()) : quint16(0);
    };
    m_http = port(QStringLiteral("\\bhttp +port (\\d+)"));
    m_https = port(QStringLiteral("\\bhttps +port (\\d+)"));
    m_admin = port(QStringLiteral("admin +http://127\\.0\\.0\\.1:(\\d+)/"));
    return m_http != 0 && m_admin != 0;
}

int GatewayUnderTest::stop(int timeoutMs)
{
    if (m_engine) {
        m_engine->stopAndWait();
        return 0;
    }
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return m_process ? m_process->exitCode() : -1;
    m_stopping = true;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    QProcess *p = m_process.get();
    if (!waitUntil([p] { return p->state() == QProcess::NotRunning; }, timeoutMs)) {
        p->kill();
        p->waitForFinished(5000);
        return -1;
    }
    m_stderr += p->readAllStandardError();
    const int code = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    if (code != 0)   // say why, as for an end while the test ran (a sanitizer report, a crash)
        qWarning("gatehoused ended with %d after SIGTERM; the end of its stderr:\n%s", code,
                 m_stderr.right(4000).constData());
    // Fails the test even where it does not look at the exit code (many stop in cleanupTestCase).
    if (hasSanitizerReport(m_stderr))
        QTest::qFail("gatehoused's sanitizer report is above", __FILE__, __LINE__);
    return code;
}

bool GatewayUnderTest::isRunning() const
{
    if (m_engine)
        return m_engine->state() == GatewayEngine::State::Running;
    return m_process && m_process->state() == QProcess::Running;
}

qint64 GatewayUnderTest::pid() const
{
    return m_process ? m_process->processId() : qint64(::getpid());
}

HttpResponse GatewayUnderTest::reload()
{
    return admin("POST", "/admin/reload");
}

HttpResponse GatewayUnderTest::admin(QByteArrayView method, QByteArrayView path)
{
    return httpRequest(m_admin, method, path);
}

QByteArray GatewayUnderTest::daemonStderr()
{
    if (m_process)
        m_stderr += m_process->readAllStandardError();
    return m_stderr;
}

void GatewayUnderTest::signal(int number)
{
    if (m_process && m_process->state() == QProcess::Running) {
        if (number != SIGHUP)   // the others end it, as the test asks
            m_stopping = true;
        ::kill(pid_t(m_process->processId()), number);
    }
}

bool GatewayPair::start(const QString &projectDir, QString *error, int workers)
{
    m_inProcess = std::make_unique<GatewayUnderTest>(GatewayMode::InProcess);
    m_daemon = std::make_unique<GatewayUnderTest>(GatewayMode::Daemon);
    for (GatewayUnderTest *g : {m_inProcess.get(), m_daemon.get()}) {
        if (!g->start(projectDir, workers)) {
            *error = g->name() + QStringLiteral(": ") + g->errorString();
            return false;
        }
    }
    return true;
}

void GatewayPair::stop()
{
    for (GatewayUnderTest *g : {m_inProcess.get(), m_daemon.get()}) {
        if (g)
            g->stop();
    }
}

GatewayUnderTest &GatewayPair::current()
{
    return get(currentGatewayMode());
}

void addGatewayModeRows()
{
    QTest::addColumn<int>("gatewayMode");
    QTest::newRow("in-process") << int(GatewayMode::InProcess);
    QTest::newRow("gatehoused") << int(GatewayMode::Daemon);
}

GatewayMode currentGatewayMode()
{
    QFETCH_GLOBAL(int, gatewayMode);
    return GatewayMode(gatewayMode);
}

} // namespace Gatehouse::Test
