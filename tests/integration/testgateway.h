// The gateway under test, run in-process (GatewayEngine in the test process) or as the real
// `gatehoused serve` binary, on a temporary project written by the test.
#pragma once

#include "testclient.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace Gatehouse {
class GatewayEngine;
}

namespace Gatehouse::Test {

enum class GatewayMode { InProcess = 1, Daemon };

// A project folder in a temporary directory, removed at the end.
class TestProject
{
public:
    TestProject();
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &relative) const { return m_dir.filePath(relative); }
    // Writes (or replaces) a file, creating folders as needed.
    bool write(const QString &relative, const QByteArray &content) const;
    bool remove(const QString &relative) const;

private:
    QTemporaryDir m_dir;
};

// gatehouse.yaml with every listener on loopback and the given extra top-level sections
// ("limits:\n  headerTimeout: 1s\n" ...).
QByteArray settingsYaml(const QByteArray &extraSections = {});

// An OpenAPI 3.0 document. `basePath` becomes x-gatehouse-basePath unless empty (then the path of
// `serverUrl` is the base path); each line of `operations` is "PATH METHOD [METHOD ...]".
// `extra` is added at the top level (x-gatehouse-production-endpoints ...).
QByteArray apiYaml(const QString &title, const QString &basePath, const QString &serverUrl,
                   const QStringList &operations, const QByteArray &extra = {});

// The first lines of an OpenAPI 3.0 document (openapi, info, x-gatehouse-basePath, one server);
// a test appends its components, policies and paths.
QByteArray apiYamlHead(const QString &title, const QString &version, const QString &basePath,
                       const QString &serverUrl);

// The "Orders" API of the OAuth tests: security scheme `oauth` (client credentials at
// `tokenIssuer`/token, scopes read and write), GET /orders/list needs read, POST /orders/change write.
QByteArray oauthOrdersApiYaml(const QString &serverUrl, const QString &tokenIssuer);
// A security: section with one introspecting key manager (client "gatehouse").
QByteArray keyManagerSettings(const QString &name, const QString &introspectionUrl,
                              const QString &clientSecret, const QString &cacheTtl);

// The gatehoused binary (GATEHOUSED, set by CTest).
QString gatehousedPath();
// `gatehoused ARGS`, run to its end (60 s at most).
ProcessResult runGatehoused(const QStringList &args);
// Writes `content` to `path`, creating folders as needed. False when that fails.
bool writeTestFile(const QString &path, const QByteArray &content);
// The bytes of `path`; empty when it cannot be read.
QByteArray readTestFile(const QString &path);

class GatewayUnderTest
{
public:
    explicit GatewayUnderTest(GatewayMode mode);
    ~GatewayUnderTest();
    GatewayUnderTest(const GatewayUnderTest &) = delete;
    GatewayUnderTest &operator=(const GatewayUnderTest &) = delete;

    GatewayMode mode() const { return m_mode; }
    QString name() const;   // "in-process" or "gatehoused"

    // Starts serving `projectDir` on free ports (HTTP, HTTPS, admin). False with errorString().
    bool start(const QString &projectDir, int workers = 2);
    // Graceful stop (SIGTERM for the daemon). Returns the daemon's exit code (0 in-process); a
    // sanitizer's report in the daemon's stderr fails the current test.
    int stop(int timeoutMs = 30'000);
    bool isRunning() const;
    QString errorString() const { return m_error; }

    quint16 httpPort() const { return m_http; }
    quint16 httpsPort() const { return m_https; }
    quint16 adminPort() const { return m_admin; }
    qint64 pid() const;   // the process serving traffic (the test process itself in-process)

    // POST /admin/reload.
    HttpResponse reload();
    HttpResponse admin(QByteArrayView method, QByteArrayView path);
    // The daemon's stderr so far (empty in-process).
    QByteArray daemonStderr();
    // Daemon only.
    void signal(int number);
    QProcess *process() const { return m_process.get(); }
    GatewayEngine *engine() const { return m_engine.get(); }

private:
    GatewayMode m_mode;
    std::unique_ptr<GatewayEngine> m_engine;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    bool m_stopping = false;   // set by stop() and the destructor: an exit then is expected
    quint16 m_http = 0;
    quint16 m_https = 0;
    quint16 m_admin = 0;
    QString m_error;
};

// The same project served both ways at once, for test classes whose functions run per mode.
class GatewayPair
{
public:
    // Starts the in-process gateway first (it generates keys/), then the daemon.
    bool start(const QString &projectDir, QString *error, int workers = 2);
    void stop();
    GatewayUnderTest &get(GatewayMode mode) { return mode == GatewayMode::InProcess ? *m_inProcess : *m_daemon; }
    GatewayUnderTest &current();   // the one of the running global data row

private:
    std::unique_ptr<GatewayUnderTest> m_inProcess;
    std::unique_ptr<GatewayUnderTest> m_daemon;
};

// Global data rows shared by the test classes: every test function runs once in-process and once
// through gatehoused. Call from initTestCase_data().
void addGatewayModeRows();
// The mode of the running global row.
GatewayMode currentGatewayMode();

} // namespace Gatehouse::Test
