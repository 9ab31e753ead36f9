#include "testredis.h"

#include "testclient.h"

#include <QFile>
#include <QHostAddress>
#include <QTcpSocket>

namespace Gatehouse::Test {

namespace {
const QString kRedisServer = QStringLiteral("/usr/bin/redis-server");
}

bool TestRedis::isInstalled()
{
    return QFile::exists(kRedisServer);
}

bool TestRedis::start()
{
    if (m_port == 0)
        m_port = unusedPort();
    if (m_port == 0)
        return false;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    endsWithTest(*m_process);
    m_process->start(kRedisServer, {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                    QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                    QStringLiteral("--appendonly"), QStringLiteral("no")});
    if (!m_process->waitForStarted(10'000))
        return false;
    return waitUntil([this] {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_port);
        if (!s.waitForConnected(1000))
            return false;
        s.write("PING\r\n");
        return s.waitForReadyRead(1000) && s.readAll().startsWith("+PONG");
    }, 20'000);
}

void TestRedis::stop()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10'000);
    m_process.reset();
}

QByteArray TestRedis::url(int database) const
{
    return "redis://127.0.0.1:" + QByteArray::number(m_port) + '/' + QByteArray::number(database);
}

QByteArray TestRedis::cli(const QStringList &arguments) const
{
    const ProcessResult r = runProcess(QStringLiteral("redis-cli"),
                                       QStringList{QStringLiteral("-p"), QString::number(m_port)} + arguments);
    return r.exitCode == 0 ? r.out : QByteArray();
}

qint64 TestRedis::calls(QByteArrayView command) const
{
    // "cmdstat_evalsha:calls=3,usec=..." (absent until the command first runs)
    const QByteArray info = cli({QStringLiteral("INFO"), QStringLiteral("commandstats")});
    const QByteArray marker = "cmdstat_" + command.toByteArray() + ":calls=";
    const qsizetype at = info.indexOf(marker);
    if (at < 0)
        return 0;
    qsizetype end = at + marker.size();
    while (end < info.size() && info.at(end) >= '0' && info.at(end) <= '9')
        ++end;
    return info.mid(at + marker.size(), end - at - marker.size()).toLongLong();
}

} // namespace Gatehouse::Test
