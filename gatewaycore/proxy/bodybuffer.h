// Whole bodies held for the filters' body hooks (pipeline/filter.h): the request body collected
// up to the chain's limit before the upstream is called, and the upstream's response (head copied
// out of the connection's buffer, body) held until it is complete. Only routes whose chain reads
// bodies use these; every other exchange streams.
#pragma once

#include "errorresponse.h"

#include "http/http1head.h"

#include <QByteArray>
#include <QByteArrayView>

namespace Gatehouse {

// 413 for a request body larger than the chain's body policies read.
inline GatewayError requestTooLargeError(qint64 limit)
{
    return {413, GatewayErrorCode::RequestTooLarge, QStringLiteral("Content too large"),
            QStringLiteral("The request body exceeds the %1 bytes this operation's policies read").arg(limit)};
}

// A body collected up to a limit (bytes). Cleared per exchange; keeps no capacity between them.
class BodyBuffer
{
public:
    void start(qint64 limit)
    {
        m_limit = limit;
        m_bytes.clear();
        m_active = true;
    }
    void reset()
    {
        m_active = false;
        m_limit = 0;
        m_bytes = QByteArray();
    }
    bool isActive() const { return m_active; }
    qint64 limit() const { return m_limit; }
    // False (and nothing appended) when the body would exceed the limit.
    bool append(QByteArrayView data)
    {
        if (m_bytes.size() + data.size() > m_limit)
            return false;
        m_bytes.append(data);
        return true;
    }
    QByteArray &bytes() { return m_bytes; }

private:
    QByteArray m_bytes;
    qint64 m_limit = 0;
    bool m_active = false;
};

// A response head whose views must outlive the upstream connection's read buffer.
struct HeldResponseHead
{
    int status = 0;
    Http1Framing framing = Http1Framing::NoBody;   // how the upstream frames the held body
    QByteArray reason;
    QByteArray storage;      // every name and value, back to back
    Http1FieldList fields;   // views into storage

    void hold(int statusCode, QByteArrayView reasonPhrase, const Http1FieldList &source,
              Http1Framing bodyFraming = Http1Framing::NoBody)
    {
        status = statusCode;
        framing = bodyFraming;
        reason = reasonPhrase.toByteArray();
        qsizetype total = 0;
        for (const Http1Field &f : source)
            total += f.name.size() + f.value.size();
        storage.clear();
        storage.reserve(total);   // no reallocation below: the views stay valid
        fields.clear();
        for (const Http1Field &f : source) {
            const qsizetype at = storage.size();
            storage.append(f.name);
            storage.append(f.value);
            fields.append(QByteArrayView(storage.constData() + at, f.name.size()),
                          QByteArrayView(storage.constData() + at + f.name.size(), f.value.size()));
        }
    }
    void clear()
    {
        status = 0;
        framing = Http1Framing::NoBody;
        reason = QByteArray();
        storage = QByteArray();
        fields.clear();
    }
};

} // namespace Gatehouse
