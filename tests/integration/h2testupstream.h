// An h2c upstream for tests, on the gateway's own HTTP/2 server session: it answers every request
// with 200 "ok" (or resets every stream with a chosen code), and sends GOAWAY on demand — what
// nghttpd and grpcio cannot be asked to do.
#pragma once

#include "http/http2session.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace Gatehouse::Test {

class H2TestUpstream final : public QObject
{
public:
    bool start()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                m_connections.push_back(std::make_unique<Connection>(socket, this));
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }
    int connectionsAccepted() const { return int(m_connections.size()); }
    int streamsReset() const { return m_resets; }
    // From now on every request's stream is reset with `code` instead of answered.
    void resetStreamsWith(quint32 code) { m_resetCode = code; }
    void goAway()
    {
        for (auto &c : m_connections)
            c->goAway();
    }

private:
    class Connection final : public Http2SessionHandler
    {
    public:
        Connection(QTcpSocket *socket, H2TestUpstream *owner)
            : m_socket(socket), m_owner(owner), m_session(this, {})
        {
            m_session.start();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this] {
                m_session.receive(m_socket->readAll());
                flush();
            });
            flush();
        }
        void goAway()
        {
            m_session.shutdown();
            flush();
        }

    private:
        void flush()
        {
            for (QByteArrayView out = m_session.nextOutput(); !out.isEmpty(); out = m_session.nextOutput())
                m_socket->write(out.data(), out.size());
        }
        void http2BeginHeaders(qint32) override {}
        void http2Header(qint32, QByteArrayView, QByteArrayView) override {}
        void http2HeadersComplete(qint32 stream, bool, bool endStream) override
        {
            if (m_owner->m_resetCode) {
                ++m_owner->m_resets;
                m_session.resetStream(stream, *m_owner->m_resetCode);
                return;
            }
            if (endStream)
                http2EndStream(stream);
        }
        void http2Data(qint32 stream, QByteArrayView data) override { m_session.consume(stream, data.size()); }
        void http2EndStream(qint32 stream) override
        {
            if (!m_owner->m_resetCode)
                m_session.submitResponse(stream, 200, {}, true);
        }
        void http2StreamClosed(qint32, quint32) override {}
        qint64 http2ReadBody(qint32, std::span<char> buffer, bool &end) override
        {
            std::memcpy(buffer.data(), "ok", 2);
            end = true;
            return 2;
        }

        QTcpSocket *m_socket;
        H2TestUpstream *m_owner;
        Http2ServerSession m_session;
    };

    QTcpServer m_server;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::optional<quint32> m_resetCode;
    int m_resets = 0;
};

} // namespace Gatehouse::Test
