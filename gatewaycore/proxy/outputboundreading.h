// Reading that stops while a connection's own output piles up, shared by the HTTP/2 connections
// (client and upstream side): a peer that sends frames but does not read the answers (ACKs,
// WINDOW_UPDATEs, responses) is not queued for without bound.
#pragma once

#include "bytestream.h"

#include <QObject>

namespace Gatehouse {

class OutputBoundReading
{
public:
    explicit OutputBoundReading(qint64 highWater) : m_highWater(highWater) {}

    qint64 highWater() const { return m_highWater; }
    bool outputFull(const ByteStream &stream) const { return stream.pendingOutput() >= m_highWater; }

    // Before each read: true when the output is full, and reading then stops.
    bool pauseIfFull(ByteStream &stream)
    {
        if (!outputFull(stream))
            return false;
        m_paused = true;
        stream.setReadNotifications(false);
        return true;
    }

    // After each flush, whatever the path: a write event, or a flush from anywhere else (bytes
    // from an upstream, a tick), which leaves no write event behind when it empties the buffer.
    // Reading resumes once the output fell below the high-water mark; `read` is queued on
    // `context`'s thread rather than run here: flushes happen inside reads too, and TLS bytes may
    // wait in QSslSocket's buffer without a new signal. The queued call is dropped with `context`.
    template<typename Read>
    void resumeIfDrained(ByteStream &stream, QObject *context, Read read)
    {
        if (!m_paused || outputFull(stream))
            return;
        m_paused = false;
        stream.setReadNotifications(true);
        if (m_readQueued)
            return;
        m_readQueued = true;
        QMetaObject::invokeMethod(
            context,
            [this, read = std::move(read)] {
                m_readQueued = false;
                read();
            },
            Qt::QueuedConnection);
    }

private:
    qint64 m_highWater;
    bool m_paused = false;
    bool m_readQueued = false;
};

} // namespace Gatehouse
