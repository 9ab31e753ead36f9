// A real redis-server for the tests, started on a free loopback port with nothing persisted.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

#include <memory>

namespace Gatehouse::Test {

class TestRedis
{
public:
    ~TestRedis() { stop(); }

    static bool isInstalled();
    // Starts the server (on the same port again after a stop()) and waits until it answers PING.
    bool start();
    void stop();   // killed: connections drop at once, as in a crash
    bool isRunning() const { return m_process != nullptr; }
    qint64 processId() const { return m_process ? m_process->processId() : 0; }
    quint16 port() const { return m_port; }
    QByteArray url(int database = 0) const;

    // Runs redis-cli against the server; its standard output (empty on failure).
    QByteArray cli(const QStringList &arguments) const;
    // How many times `command` (lower case: "evalsha") ran, from INFO commandstats.
    qint64 calls(QByteArrayView command) const;

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};

} // namespace Gatehouse::Test
