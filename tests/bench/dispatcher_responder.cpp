// Benchmark responder: fixed-body HTTP/1.1 keep-alive answers from one worker thread, on Qt's own
// event dispatcher or on EpollEventDispatcher. tests/bench/dispatcher.sh drives it with wrk.
#include "proxy/epolleventdispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <cstdio>
#include <memory>

#include <sys/resource.h>

namespace {

// Lives on the worker. Counts complete request heads (wrk sends GETs without bodies) and answers
// each with the same prebuilt response.
class Responder : public QObject
{
public:
    Responder(qsizetype bodyBytes, bool flush)
        : m_flush(flush)
    {
        m_response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + QByteArray::number(bodyBytes) + "\r\n\r\n" + QByteArray(bodyBytes, 'x');
        connect(&m_server, &QTcpServer::newConnection, this, &Responder::accept);
    }

    quint16 listen(quint16 port)
    {
        m_server.setListenBacklogSize(4096);
        return m_server.listen(QHostAddress::LocalHost, port) ? m_server.serverPort() : 0;
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            auto pending = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, socket,
                    [this, socket, pending] { serve(socket, *pending); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void serve(QTcpSocket *socket, QByteArray &pending)
    {
        pending += socket->readAll();
        qsizetype consumed = 0;
        int requests = 0;
        for (qsizetype end; (end = pending.indexOf("\r\n\r\n", consumed)) >= 0; ++requests)
            consumed = end + 4;
        pending.remove(0, consumed);
        for (int i = 0; i < requests; ++i)
            socket->write(m_response);
        // Writing now instead of on the next write notification is what a real server does; on
        // EpollEventDispatcher the enable/disable of the write notifier then costs no syscall.
        if (m_flush && requests > 0)
            socket->flush();
    }

    QTcpServer m_server{this}; // a child, so moveToThread() takes it along
    QByteArray m_response;
    bool m_flush;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("Keep-alive HTTP responder for tests/bench/dispatcher.sh"));
    parser.addHelpOption();
    const QCommandLineOption dispatcherOption(QStringLiteral("dispatcher"),
                                              QStringLiteral("qt (default) or epoll"),
                                              QStringLiteral("name"), QStringLiteral("qt"));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("port on 127.0.0.1 (0: any)"),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption bodyOption(QStringLiteral("body-bytes"),
                                        QStringLiteral("response body size"),
                                        QStringLiteral("bytes"), QStringLiteral("1024"));
    const QCommandLineOption noFlushOption(QStringLiteral("no-flush"),
                                           QStringLiteral("leave writing to the write notifier"));
    parser.addOptions({dispatcherOption, portOption, bodyOption, noFlushOption});
    parser.process(app);
    const QString dispatcher = parser.value(dispatcherOption);
    if (dispatcher != QLatin1String("qt") && dispatcher != QLatin1String("epoll"))
        parser.showHelp(2);

    // Thousands of idle connections need more than the default 1,024 descriptors.
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }

    QThread worker;
    if (dispatcher == QLatin1String("epoll"))
        worker.setEventDispatcher(new Gatehouse::EpollEventDispatcher);
    worker.start();
    auto *responder = new Responder(parser.value(bodyOption).toLongLong(),
                                    !parser.isSet(noFlushOption));
    responder->moveToThread(&worker);
    quint16 port = 0;
    const auto requestedPort = parser.value(portOption).toUShort();
    QMetaObject::invokeMethod(responder, [&] { port = responder->listen(requestedPort); },
                              Qt::BlockingQueuedConnection);
    if (port == 0) {
        std::fprintf(stderr, "cannot listen on 127.0.0.1:%u\n", requestedPort);
        return 1;
    }
    std::printf("port %u dispatcher %s\n", port,
                QAbstractEventDispatcher::instance(&worker)->metaObject()->className());
    std::fflush(stdout);
    return app.exec(); // until killed
}
