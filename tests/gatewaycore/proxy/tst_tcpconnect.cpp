// TcpConnect: a connected socket handed over, a refused port reported from the event loop, an
// abandoned connect leaving nothing behind. Built twice: on Qt's own event dispatcher (the
// QSocketNotifier path) and on an EpollEventDispatcher (the data plane's).
#include "proxy/epolleventdispatcher.h"
#include "proxy/tcpconnect.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTest>

#include <cerrno>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Gatehouse;
using namespace std::chrono_literals;

namespace {

struct Outcome final : TcpConnectHandler
{
    int fd = -1;
    int error = 0;
    int calls = 0;
    void tcpConnected(int connected) override { fd = connected; ++calls; }
    void tcpConnectFailed(int failure) override { error = failure; ++calls; }
};

bool spinUntil(const std::function<bool()> &done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < 10'000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return done();
}

// A loopback port that nothing listens on: bound (so nothing else takes it meanwhile), never listened.
struct ClosedPort
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    quint16 port = 0;
    ClosedPort()
    {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof a;
        if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &length) == 0)
            port = ntohs(a.sin_port);
    }
    ~ClosedPort() { ::close(fd); }
};

} // namespace

class tst_TcpConnect : public QObject
{
    Q_OBJECT
private slots:
    void connectsAndHandsTheSocketOver_data();
    void connectsAndHandsTheSocketOver();
    void aRefusedPortIsReportedFromTheLoop();
    void destroyedBeforeTheOutcomeSaysNothing();
};

void tst_TcpConnect::connectsAndHandsTheSocketOver_data()
{
    QTest::addColumn<QHostAddress>("address");
    QTest::newRow("IPv4") << QHostAddress(QHostAddress::LocalHost);
    QTest::newRow("IPv6") << QHostAddress(QHostAddress::LocalHostIPv6);
}

void tst_TcpConnect::connectsAndHandsTheSocketOver()
{
    QFETCH(QHostAddress, address);
    QTcpServer server;
    if (!server.listen(address))
        QSKIP("no loopback for this address family here");
    Outcome outcome;
    TcpConnect connect(&outcome);
    QCOMPARE(connect.start(address, server.serverPort()), 0);
    QCOMPARE(outcome.calls, 0);   // never from inside start()
    QVERIFY(spinUntil([&] { return outcome.calls > 0; }));
    QCOMPARE(outcome.calls, 1);
    QVERIFY2(outcome.fd >= 0, qPrintable(QString::fromLocal8Bit(std::strerror(outcome.error))));
    QVERIFY(spinUntil([&] { return server.hasPendingConnections(); }));
    QTcpSocket *accepted = server.nextPendingConnection();
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    QCOMPARE(::getsockname(outcome.fd, reinterpret_cast<sockaddr *>(&local), &length), 0);
    QCOMPARE(QHostAddress(reinterpret_cast<const sockaddr *>(&local)), accepted->peerAddress());
    QCOMPARE(::write(outcome.fd, "ping", 4), ssize_t(4));
    QVERIFY(spinUntil([&] { return accepted->bytesAvailable() >= 4; }));
    QCOMPARE(accepted->readAll(), QByteArray("ping"));
    ::close(outcome.fd);
}

void tst_TcpConnect::aRefusedPortIsReportedFromTheLoop()
{
    ClosedPort closed;
    QVERIFY(closed.port != 0);
    Outcome outcome;
    TcpConnect connect(&outcome);
    const int immediate = connect.start(QHostAddress(QHostAddress::LocalHost), closed.port);
    if (immediate != 0) {
        QCOMPARE(immediate, ECONNREFUSED);   // Linux may refuse a loopback connect at once
        return;
    }
    QCOMPARE(outcome.calls, 0);
    QVERIFY(spinUntil([&] { return outcome.calls > 0; }));
    QCOMPARE(outcome.calls, 1);
    QCOMPARE(outcome.fd, -1);
    QCOMPARE(outcome.error, ECONNREFUSED);
}

void tst_TcpConnect::destroyedBeforeTheOutcomeSaysNothing()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    Outcome outcome;
    {
        TcpConnect connect(&outcome);
        QCOMPARE(connect.start(QHostAddress(QHostAddress::LocalHost), server.serverPort()), 0);
    }
    // The server sees the connection come and go; the handler hears nothing.
    QVERIFY(spinUntil([&] { return server.hasPendingConnections(); }));
    QTcpSocket *accepted = server.nextPendingConnection();
    QVERIFY(spinUntil([&] { return accepted->state() == QAbstractSocket::UnconnectedState; }));
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    QCOMPARE(outcome.calls, 0);
}

int main(int argc, char *argv[])
{
#ifdef GATEHOUSE_DISPATCHER_EPOLL
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
#endif
    QCoreApplication app(argc, argv);
    tst_TcpConnect test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_tcpconnect.moc"
