// An h2c upstream for tests, on the gateway's own HTTP/2 server session: it answers every request
// with 200 "ok" (or resets every stream with a chosen code, or holds the requests until told),
// and sends GOAWAY on demand, with a chosen last stream — what nghttpd and grpcio cannot be asked
// to do.
#pragma once

#include "http/http2session.h"

#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

#include <cstring>
#include <memory>
#include <optional>
#include <utility>
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
    // From now on complete requests wait (heldStreams()) until releaseHeld().
    void holdRequests(bool hold) { m_hold = hold; }
    // The held requests' streams, on every connection, in arrival order.
    QList<qint32> heldStreams() const
    {
        QList<qint32> ids;
        for (const auto &c : m_connections)
            ids += c->held();
        return ids;
    }
    // GOAWAY naming `lastStream` as the last processed one, on every connection: the gateway
    // must take the streams above it as refused.
    void goAway(qint32 lastStream)
    {
        for (auto &c : m_connections)
            c->goAway(lastStream);
    }
    // Answers the held requests up to `lastStream` (all by default) with 200 "ok".
    void releaseHeld(qint32 lastStream = 0x7fffffff)
    {
        for (auto &c : m_connections)
            c->release(lastStream);
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
        void goAway(qint32 lastStream)
        {
            m_session.goAway(lastStream);
            flush();
        }
        QList<qint32> held() const { return m_held; }
        void release(qint32 lastStream)
        {
            const QList<qint32> held = std::exchange(m_held, {});
            for (qint32 stream : held) {
                if (stream <= lastStream)
                    m_session.submitResponse(stream, 200, {}, true);
                else
                    m_held.append(stream);
            }
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
            if (m_owner->m_resetCode)
                return;
            if (m_owner->m_hold)
                m_held.append(stream);
            else
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
        QList<qint32> m_held;
    };

    QTcpServer m_server;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::optional<quint32> m_resetCode;
    int m_resets = 0;
    bool m_hold = false;
};

} // namespace Gatehouse::Test
