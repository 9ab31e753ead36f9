// Opt-in capture of a traced request and its response: bounded copies as the bytes pass.
#include "requestcapture.h"

#include "tracerecord.h"

#include "http/http1head.h"

namespace Gatehouse {

namespace {

void setCaptureBytes(QByteArray &to, QByteArrayView from)
{
    to.resize(0);   // keeps the capacity when not shared
    to.append(from);
}

void setFields(const Http1FieldList &fields, QList<TraceHeaderField> &out)
{
    out.resize(fields.size());
    for (qsizetype i = 0; i < fields.size(); ++i) {
        setCaptureBytes(out[i].name, fields.at(i).name);
        setCaptureBytes(out[i].value, fields.at(i).value);
    }
}

void moveBody(CaptureBuffer &from, TraceCapturedBody &to)
{
    from.swapBytes(to.bytes);
    to.totalBytes = from.totalBytes();
    to.complete = from.isComplete();
}

} // namespace

void CaptureBuffer::begin(qint64 maxBytes)
{
    m_maxBytes = qMax<qint64>(0, maxBytes);
    m_totalBytes = 0;
    m_complete = false;
    m_bytes.resize(0);
}

void CaptureBuffer::append(QByteArrayView data)
{
    const qint64 room = m_maxBytes - m_bytes.size();
    if (room > 0 && !data.isEmpty()) {
        const qsizetype kept = qsizetype(qMin<qint64>(room, data.size()));
        // Grow to the cap at most, never by the doubling QByteArray would choose past it.
        if (m_bytes.capacity() < m_bytes.size() + kept)
            m_bytes.reserve(qsizetype(qMin<qint64>(m_maxBytes, qMax<qint64>(m_bytes.size() + kept, 2 * m_bytes.size()))));
        m_bytes.append(data.first(kept));
    }
    m_totalBytes += data.size();
}

void RequestCapture::begin(qint64 maxBodyBytes)
{
    m_active = maxBodyBytes > 0;
    if (!m_active)
        return;
    m_request.begin(maxBodyBytes);
    m_response.begin(maxBodyBytes);
    m_responseFields.resize(0);
}

void RequestCapture::setResponseFields(const Http1FieldList &fields)
{
    setFields(fields, m_responseFields);
    m_response.begin(m_response.maxBytes());   // a retried attempt's response replaces the last
}

void RequestCapture::gatewayAnswer(QList<TraceHeaderField> fields, QByteArrayView body)
{
    if (!m_active)
        return;
    m_responseFields = std::move(fields);
    m_response.begin(m_response.maxBytes());
    m_response.append(body);
    m_response.finish();
}

void RequestCapture::fillRecord(TraceCapture &out, QByteArrayView pathAndQuery,
                                const Http1FieldList *requestFields)
{
    out.present = m_active;
    if (!m_active)
        return;
    setCaptureBytes(out.target, pathAndQuery);
    if (requestFields)
        setFields(*requestFields, out.requestHeaders);
    else
        out.requestHeaders.clear();
    moveBody(m_request, out.requestBody);
    out.responseHeaders.swap(m_responseFields);
    moveBody(m_response, out.responseBody);
    m_active = false;
}

} // namespace Gatehouse
