// Metrics and the access-log entry of an exchange, whatever the client's protocol: the server
// histogram, the policies' and the proxy's phases, the upstream client histogram.
#include "exchange.h"

#include "epolleventdispatcher.h"
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

void ProxyExchange::attemptStarted()
{
    m_attemptStartNs = EpollEventDispatcher::loopTimeNs();
}

void ProxyExchange::upstreamResponded(int status)
{
    m_status = status;
    m_responseHeadNs = EpollEventDispatcher::loopTimeNs();
    m_upstreamNs += m_responseHeadNs - m_attemptStartNs;
    m_upstreamTimed = true;
    m_worker->pool().recordSuccess(m_target->id);
    traceAttemptEnded(false);
}

void ProxyExchange::attemptFailed(UpstreamFailure failure)
{
    if (m_metricsOn)
        m_worker->metrics().countUpstreamFailure(int(failure));
    traceAttemptEnded(true);
    if (m_responseHeadNs == 0) {
        m_upstreamNs += EpollEventDispatcher::loopTimeNs() - m_attemptStartNs;
        m_upstreamTimed = true;
    }
    if (failure != UpstreamFailure::BadResponse)
        m_worker->pool().recordFailure(m_target->id, Clock::now());
}

void ProxyExchange::upstreamCompleted(HttpMethod method)
{
    m_endNs = EpollEventDispatcher::loopTimeNs();
    if (m_metricsOn)
        m_worker->metrics().observeClient(m_target->id, method, m_status, m_endNs - m_attemptStartNs);
}

void ProxyExchange::record(const ClientRequest *request, QByteArrayView peerText)
{
    if (m_startNs == 0)
        return;
    qint64 now = m_endNs != 0 ? m_endNs : EpollEventDispatcher::loopTimeNs();
    // Answered in the loop iteration the request arrived in (locally: a 401, 404 or 429, a cache
    // hit): the loop's now has not moved, so one clock read measures that work instead of a 0.
    if (now == m_startNs)
        now = EpollEventDispatcher::freshTimeNs();
    if (m_metricsOn)
        recordMetrics(now);
    if (m_worker->accessLog().isEnabled())
        logExchange(request, peerText, now);
    recordTrace(request, peerText, now);
    m_startNs = 0;
}

void ProxyExchange::recordMetrics(qint64 nowNs)
{
    MetricsShard &metrics = m_worker->metrics();
    if (m_status != 0)
        metrics.observeServer(m_metricLabels, m_status, nowNs - m_startNs);
    else
        metrics.countAborted();
    // The policies' phases as the chain measured them (with a fresh clock read around each filter:
    // only those that ran took time), plus the proxy's own two, which close the list. Those two are
    // observed when they happened, even as 0: their ends are loop times, equal when the response
    // came and went in one loop iteration.
    static_assert(int(Phase::Upstream) == kPhaseCount - 2 && int(Phase::Respond) == kPhaseCount - 1);
    qint64 upstreamNs = m_upstreamNs;
    qint64 respondNs = m_responseHeadNs != 0 ? nowNs - m_responseHeadNs : 0;
    bool upstreamRan = m_upstreamTimed;
    bool respondRan = m_responseHeadNs != 0;
    if (m_filtersRan) {
        const std::array<qint64, kPhaseCount> &phaseNs = m_ctx.phaseNs;
        for (int p = 0; p < int(Phase::Upstream); ++p) {
            if (phaseNs[size_t(p)] > 0)
                metrics.observePhase(Phase(p), phaseNs[size_t(p)]);
        }
        upstreamNs += phaseNs[size_t(Phase::Upstream)];
        respondNs += phaseNs[size_t(Phase::Respond)];
        upstreamRan = upstreamRan || phaseNs[size_t(Phase::Upstream)] > 0;
        respondRan = respondRan || phaseNs[size_t(Phase::Respond)] > 0;
    }
    if (upstreamRan)
        metrics.observePhase(Phase::Upstream, upstreamNs);
    if (respondRan)
        metrics.observePhase(Phase::Respond, respondNs);
    metrics.requestEnded();
}

void ProxyExchange::logExchange(const ClientRequest *request, QByteArrayView peerText, qint64 nowNs)
{
    AccessLogQueue &queue = m_worker->accessLog();
    AccessLogEntry *e = queue.slot();
    if (!e)
        return;   // the writer fell behind: counted as dropped
    e->endMs = QDateTime::currentMSecsSinceEpoch();
    e->durationUs = (nowNs - m_startNs) / 1000;
    setBytes(e->peer, peerText);
    if (request) {
        const QByteArrayView target = request->pathAndQuery;
        const qsizetype q = target.indexOf('?');
        setBytes(e->method, request->method);
        setBytes(e->path, q < 0 ? target : target.first(q));
        setBytes(e->query, q < 0 ? QByteArrayView() : target.sliced(q));
        setBytes(e->version, request->version);
        setBytes(e->userAgent, request->headers ? request->headers->value("user-agent") : QByteArrayView());
        setBytes(e->referer, request->headers ? request->headers->value("referer") : QByteArrayView());
    } else {
        for (QByteArray *field : {&e->method, &e->path, &e->query, &e->version, &e->userAgent, &e->referer})
            field->resize(0);
    }
    e->user.resize(0);
    if (m_filtersRan && m_ctx.principal)
        e->user.append(m_ctx.principal->subject.toUtf8());
    e->labels = m_metricLabels;
    e->status = m_status;
    e->bytesSent = m_bytesSent;
    queue.push();
}

} // namespace Gatehouse
