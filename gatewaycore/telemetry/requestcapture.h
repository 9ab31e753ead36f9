// Opt-in capture of a traced request and its response for the workbench's Replay
// (telemetry.tracing.capture): the target and header values unredacted and the first bytes of
// both bodies, copied as they stream past, never buffered whole.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Gatehouse {

struct TraceCapture;
struct TraceHeaderField;
class Http1FieldList;

// The first maxBytes of a body that passes in pieces, and how many bytes passed in all.
// The capacity it grows to is at most maxBytes: a body larger than the cap costs a count.
class CaptureBuffer
{
public:
    // Starts a new body; the bytes of the previous one are dropped (their capacity stays when
    // the buffer is not shared).
    void begin(qint64 maxBytes);
    void append(QByteArrayView data);
    // The whole body went past (the request's end arrived): without it a body is partial.
    void finish() { m_complete = true; }

    qint64 maxBytes() const { return m_maxBytes; }
    qint64 totalBytes() const { return m_totalBytes; }
    bool isComplete() const { return m_complete; }
    bool isTruncated() const { return m_totalBytes > m_bytes.size(); }
    const QByteArray &bytes() const { return m_bytes; }
    // Hands the kept bytes to `out` without a copy (out's old buffer comes back for reuse).
    void swapBytes(QByteArray &out) { m_bytes.swap(out); }

private:
    QByteArray m_bytes;
    qint64 m_maxBytes = 0;
    qint64 m_totalBytes = 0;
    bool m_complete = false;
};

// The capture of one exchange. Threading: the exchange's worker thread. Inactive (the default,
// and whenever capture is off) every hook is one branch.
class RequestCapture
{
public:
    // maxBodyBytes > 0 starts capturing this exchange; 0 leaves it inactive.
    void begin(qint64 maxBodyBytes);
    void stop() { m_active = false; }
    bool isActive() const { return m_active; }

    void requestBody(QByteArrayView data)
    {
        if (m_active)
            m_request.append(data);
    }
    void requestComplete()
    {
        if (m_active)
            m_request.finish();
    }
    void responseBody(QByteArrayView data)
    {
        if (m_active)
            m_response.append(data);
    }
    void responseComplete()
    {
        if (m_active)
            m_response.finish();
    }
    // The response fields as received (unredacted); replaces those of an earlier attempt.
    void responseFields(const Http1FieldList &fields)
    {
        if (m_active)   // inline: the only cost when off is this branch
            setResponseFields(fields);
    }
    // The gateway answered itself: the answer's fields and body replace what was captured of
    // the upstream's response.
    void gatewayAnswer(QList<TraceHeaderField> fields, QByteArrayView body);

    const CaptureBuffer &request() const { return m_request; }
    const CaptureBuffer &response() const { return m_response; }

    // Fills `out` (a ring slot) from this exchange: the request's target and fields as the
    // client sent them, both bodies (moved, not copied). Inactive: out.present = false.
    void fillRecord(TraceCapture &out, QByteArrayView pathAndQuery, const Http1FieldList *requestFields);

private:
    void setResponseFields(const Http1FieldList &fields);

    CaptureBuffer m_request;
    CaptureBuffer m_response;
    QList<TraceHeaderField> m_responseFields;
    bool m_active = false;
};

} // namespace Gatehouse
