// Tracing of an exchange, whatever the client's protocol: the W3C context read from the request
// and sent upstream, the upstream's and the response's spans, the Server-Timing value and the
// TraceRecord handed to the worker's ring.
#include "exchange.h"

#include "epolleventdispatcher.h"
#include "worker.h"

#include "telemetry/accesslog.h"
#include "telemetry/metricsshard.h"
#include "telemetry/tracering.h"

#include <time.h>

namespace Gatehouse {

namespace {

qint64 realtimeNs()
{
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void setTraceBytes(QByteArray &to, QByteArrayView from)
{
    to.resize(0);   // keeps the capacity when not shared
    to.append(from);
}

} // namespace

void ProxyExchange::beginTrace(const ClientRequest &request)
{
    const TracingSettings *t = m_config ? &m_config->settings.telemetry.tracing : nullptr;
    RequestTrace &trace = m_ctx.trace;
    if (!t || !t->enabled || !request.headers) {
        trace.begin(false, 0, {}, {}, m_worker->traceIds(), m_startNs, 0);
        m_capture.stop();
        return;
    }
    // Two traceparent fields make the header invalid; tracestate fields join with ','.
    QByteArrayView traceparent;
    QByteArrayView tracestate;
    int parents = 0;
    int states = 0;
    for (const Http1Field &f : *request.headers) {
        if (f.name.size() == 11 && httpNameIs(f.name, "traceparent")) {
            traceparent = f.value;
            ++parents;
        } else if (f.name.size() == 10 && httpNameIs(f.name, "tracestate")) {
            if (states++ == 0) {
                tracestate = f.value;
            } else {
                if (states == 2)
                    setTraceBytes(m_tracestateJoined, tracestate);
                m_tracestateJoined.append(',');
                m_tracestateJoined.append(f.value);
                tracestate = m_tracestateJoined;
            }
        }
    }
    if (parents > 1)
        traceparent = "invalid: sent twice";
    // Spans are recorded only while something reads them (an exporter, a traceBatch receiver:
    // the engine tells the ring); sampling still decides the flags sent upstream.
    const TraceRing *ring = m_worker->traceRing();
    const bool record = ring && ring->isConsuming();
    trace.begin(true, t->samplingRatio, traceparent, tracestate, m_worker->traceIds(), m_startNs,
                record ? realtimeNs() : 0, record);
    // Captured only with the spans of a recorded request, and only while the engine asks for it.
    if (trace.isRecording())
        m_capture.begin(ring->captureBytes());
    else
        m_capture.stop();
    m_upstreamSpan = m_connectSpan = m_sendSpan = m_firstByteSpan = m_respondSpan = -1;
    m_requestSentNs = 0;
    m_traceparentWritten = false;
    m_traceResponseSeen = false;
}

void ProxyExchange::traceAttemptStarted(bool connected)
{
    RequestTrace &trace = m_ctx.trace;
    if (!trace.isActive())
        return;
    if (trace.isRecording()) {
        m_upstreamSpan = trace.openSpan(TraceSpanKind::Upstream, Phase::Upstream,
                                        QLatin1StringView("upstream"), m_attemptStartNs);
        m_connectSpan = connected ? -1
                                  : trace.openSpan(TraceSpanKind::UpstreamConnect, Phase::Upstream,
                                                   QLatin1StringView("upstream.connect"),
                                                   m_attemptStartNs, m_upstreamSpan);
    }
    m_sendSpan = m_firstByteSpan = -1;
    // Each recorded attempt is its own child span: the upstream's parent is that span; otherwise
    // (unsampled, or nothing records spans) the request's span.
    const SpanId parent = m_upstreamSpan >= 0 ? trace.spanIdAt(m_upstreamSpan) : trace.spanId();
    writeTraceparent(m_traceparent.data(), trace.incoming().traceId, parent, trace.isSampled());
    m_traceparentWritten = true;
}

void ProxyExchange::traceRequestHeadSent()
{
    RequestTrace &trace = m_ctx.trace;
    if (!trace.isRecording())
        return;
    const qint64 now = EpollEventDispatcher::loopTimeNs();
    trace.closeSpan(m_connectSpan, now);
    m_connectSpan = -1;
    if (m_requestSentNs != 0) {   // no body, or all of it arrived already
        m_firstByteSpan = trace.openSpan(TraceSpanKind::UpstreamFirstByte, Phase::Upstream,
                                         QLatin1StringView("upstream.first_byte"), now, m_upstreamSpan);
    } else {
        m_sendSpan = trace.openSpan(TraceSpanKind::UpstreamSend, Phase::Upstream,
                                    QLatin1StringView("upstream.send"), now, m_upstreamSpan);
    }
}

void ProxyExchange::requestSent()
{
    // Only a recorded trace reads when the request went out.
    if (m_requestSentNs != 0 || !m_ctx.trace.isRecording())
        return;
    m_requestSentNs = EpollEventDispatcher::loopTimeNs();
    RequestTrace &trace = m_ctx.trace;
    if (m_sendSpan >= 0 && trace.isRecording()) {
        trace.closeSpan(m_sendSpan, m_requestSentNs);
        m_sendSpan = -1;
        m_firstByteSpan = trace.openSpan(TraceSpanKind::UpstreamFirstByte, Phase::Upstream,
                                         QLatin1StringView("upstream.first_byte"), m_requestSentNs,
                                         m_upstreamSpan);
    }
}

void ProxyExchange::traceAttemptEnded(bool failed)
{
    RequestTrace &trace = m_ctx.trace;
    if (!trace.isRecording())
        return;
    const qint64 now = EpollEventDispatcher::loopTimeNs();
    for (int *span : {&m_connectSpan, &m_sendSpan, &m_firstByteSpan, &m_upstreamSpan}) {
        trace.closeSpan(*span, now, failed);
        *span = -1;
    }
    if (!failed)
        m_respondSpan = trace.openSpan(TraceSpanKind::Respond, Phase::Respond, QLatin1StringView("respond"), now);
}

void ProxyExchange::traceResponseHead(const Http1FieldList &fields)
{
    m_capture.responseFields(fields);
    const TraceRing *ring = m_worker->traceRing();
    if (m_ctx.trace.isRecording() && ring && ring->isConsuming()) {
        setRedactedFields(fields, m_traceResponseFields);
        m_traceResponseSeen = true;
    }
}

QByteArrayView ProxyExchange::serverTiming()
{
    if (!m_config || !m_config->settings.telemetry.tracing.serverTiming || m_startNs == 0)
        return {};
    const qint64 now = EpollEventDispatcher::loopTimeNs();
    std::array<qint64, kPhaseCount> phaseNs{};
    if (m_filtersRan)
        phaseNs = m_ctx.phaseNs;
    phaseNs[size_t(Phase::Upstream)] += m_upstreamNs;
    if (m_attemptStartNs != 0 && m_responseHeadNs == 0 && m_upstream)
        phaseNs[size_t(Phase::Upstream)] += now - m_attemptStartNs;
    m_serverTiming = serverTimingValue(phaseNs, now - m_startNs);
    return m_serverTiming;
}

void ProxyExchange::recordTrace(const ClientRequest *request, QByteArrayView peerText, qint64 nowNs)
{
    TraceRing *ring = m_worker->traceRing();
    const RequestTrace &trace = m_ctx.trace;
    if (!ring || !trace.isRecording()) {
        m_capture.stop();
        return;
    }
    m_ctx.trace.closeSpan(m_respondSpan, nowNs);
    m_respondSpan = -1;
    TraceRecord *r = ring->slot();
    if (!r) {
        m_capture.stop();
        return;   // the engine fell behind: counted as dropped
    }
    trace.fillRecord(*r, nowNs);
    r->worker = m_worker->index();
    setTraceBytes(r->protocol, request ? request->version : QByteArrayView());
    setTraceBytes(r->method, request ? request->method : QByteArrayView());
    r->target.resize(0);
    if (request) {
        // Query values may be credentials (api_key=...): names stay, values go.
        const qsizetype q = request->pathAndQuery.indexOf('?');
        r->target.append(q < 0 ? request->pathAndQuery : request->pathAndQuery.first(q));
        if (q >= 0)
            r->target.append(AccessLog::redactQuery(request->pathAndQuery.sliced(q)));
    }
    // Shared with the compiled route (the worker assigns them, never edits them in place).
    r->route = m_route ? m_route->pathTemplateBytes : QByteArray();
    r->api = m_route ? m_route->apiNameBytes : QByteArray();
    r->caller = m_filtersRan && m_ctx.principal ? m_ctx.principal->subject : QString();
    setTraceBytes(r->peer, peerText);
    r->status = m_status;
    r->error = m_filtersRan && m_ctx.error.status == m_status && m_status >= 400
                   ? QStringLiteral("%1 %2").arg(int(m_ctx.error.code)).arg(m_ctx.error.message)
                   : QString();
    if (m_target)
        setTraceBytes(r->upstream, m_target->hostHeader);
    else
        r->upstream.resize(0);
    if (request && request->headers)
        setRedactedFields(*request->headers, r->requestHeaders);
    else
        r->requestHeaders.clear();
    // Copied into the slot's own buffers: the slot is reused, its capacity stays.
    const qsizetype responseFields = m_traceResponseSeen ? m_traceResponseFields.size() : 0;
    r->responseHeaders.resize(responseFields);
    for (qsizetype i = 0; i < responseFields; ++i) {
        setTraceBytes(r->responseHeaders[i].name, m_traceResponseFields.at(i).name);
        setTraceBytes(r->responseHeaders[i].value, m_traceResponseFields.at(i).value);
    }
    QList<TraceDecisionRecord> decisions;   // only explained requests have any (begin() clears them)
    for (const Decision &d : std::as_const(m_ctx.decisions))
        decisions.append({d.phase, d.filter, d.allowed, d.detail, d.time, d.atUnixMs});
    r->decisions = std::move(decisions);
    if (m_endNs != 0)
        m_capture.responseComplete();   // the upstream's response ended (not cut)
    m_capture.fillRecord(r->capture, request ? request->pathAndQuery : QByteArrayView(),
                         request ? request->headers : nullptr);
    ring->push();
}

void ProxyExchange::captureGatewayAnswer(const GatewayError &error)
{
    // The fields a client of either protocol gets with the gateway's own answer (the connection
    // adds framing and Server-Timing).
    QList<TraceHeaderField> fields;
    const QByteArray body = statusHasBody(error.status) ? errorBody(error) : QByteArray();
    if (!body.isEmpty()) {
        fields.append({QByteArrayLiteral("content-type"), errorContentType(error).toByteArray()});
        fields.append({QByteArrayLiteral("content-length"), QByteArray::number(body.size())});
    }
    if (m_filtersRan) {
        for (const OwnedField &f : std::as_const(m_ctx.responseHeaders))
            fields.append({f.name, f.value});
    }
    m_capture.gatewayAnswer(std::move(fields), body);
}

} // namespace Gatehouse
