// Metrics and access-log lines of HTTP/2 streams: what DownstreamConnection records for each
// HTTP/1.1 exchange, per stream (server histogram, policy and proxy phases, upstream client).
#include "http2stream.h"

#include "http2connection.h"
#include "worker.h"

#include "telemetry/accesslog.h"
#include "telemetry/metricsshard.h"

#include <QDateTime>

namespace Gatehouse {

namespace {

void setBytes(QByteArray &to, QByteArrayView from)
{
    to.resize(0);   // keeps the capacity: a reused slot allocates nothing
    to.append(from);
}

} // namespace

void Http2Stream::beginExchange(HttpMethod method)
{
    m_exchangeStartNs = monotonicNs();
    m_metricLabels = m_connection->worker()->metrics().unroutedLabels(method);
    m_connection->worker()->metrics().requestStarted();
}

void Http2Stream::routed()
{
    m_metricLabels = m_connection->worker()->metrics().routeLabels(*m_config, *m_route);
}

void Http2Stream::refused()
{
    m_connection->worker()->metrics().countRefusal(m_ctx.error.code);
}

void Http2Stream::attemptStarted()
{
    m_attemptStartNs = monotonicNs();
}

void Http2Stream::responseHeadReceived(int status)
{
    m_responseStatus = status;
    m_responseHeadNs = monotonicNs();
    m_upstreamNs += m_responseHeadNs - m_attemptStartNs;
}

void Http2Stream::attemptEnded(UpstreamFailure failure, bool failed)
{
    MetricsShard &metrics = m_connection->worker()->metrics();
    if (failed) {
        metrics.countUpstreamFailure(int(failure));
        if (m_responseHeadNs == 0)
            m_upstreamNs += monotonicNs() - m_attemptStartNs;
        return;
    }
    metrics.observeClient(m_target->id, m_methodKind, m_responseStatus, monotonicNs() - m_attemptStartNs);
}

void Http2Stream::recordExchange()
{
    if (m_exchangeStartNs == 0)
        return;
    Worker *worker = m_connection->worker();
    MetricsShard &metrics = worker->metrics();
    const qint64 now = monotonicNs();
    if (m_responseStatus != 0)
        metrics.observeServer(m_metricLabels, m_responseStatus, now - m_exchangeStartNs);
    else
        metrics.countAborted();
    std::array<qint64, kPhaseCount> phaseNs = m_ctx.phaseNs;
    phaseNs[size_t(Phase::Upstream)] += m_upstreamNs;
    if (m_responseHeadNs != 0)
        phaseNs[size_t(Phase::Respond)] += now - m_responseHeadNs;
    for (int p = 0; p < kPhaseCount; ++p) {
        if (phaseNs[size_t(p)] > 0)
            metrics.observePhase(Phase(p), phaseNs[size_t(p)]);
    }
    metrics.requestEnded();
    if (worker->accessLog().isEnabled()) {
        if (AccessLogEntry *e = worker->accessLog().slot()) {
            const qsizetype q = m_pathAndQuery.indexOf('?');
            e->endMs = QDateTime::currentMSecsSinceEpoch();
            e->durationUs = (now - m_exchangeStartNs) / 1000;
            setBytes(e->peer, m_connection->peerText());
            setBytes(e->method, m_method);
            setBytes(e->path, q < 0 ? m_pathAndQuery : m_pathAndQuery.first(q));
            setBytes(e->query, q < 0 ? QByteArrayView() : m_pathAndQuery.sliced(q));
            setBytes(e->version, "HTTP/2");
            setBytes(e->userAgent, m_headers.value("user-agent"));
            setBytes(e->referer, m_headers.value("referer"));
            e->user.resize(0);
            if (m_ctx.principal.authenticated)
                e->user.append(m_ctx.principal.subject.toUtf8());
            e->labels = m_metricLabels;
            e->status = m_responseStatus;
            e->bytesSent = m_bytesSent;
            worker->accessLog().push();
        }
    }
    m_exchangeStartNs = 0;
}

} // namespace Gatehouse
