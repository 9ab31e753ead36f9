// The protocol-independent part of a proxied request: route, filters, upstream choice, fields.
#include "exchange.h"

#include "worker.h"

#include "proxy/epolleventdispatcher.h"
#include "proxy/router.h"
#include "telemetry/metricsshard.h"
#include "telemetry/tracering.h"

#include <QDateTime>

#include <cstring>

namespace Gatehouse {

ProxyExchange::ProxyExchange(Worker *worker, FilterChainHost *host) : m_worker(worker), m_host(host)
{
}

ProxyExchange::~ProxyExchange()
{
    completeFilters();
    if (m_upstream)
        releaseUpstream(false);
}

const Limits &ProxyExchange::limits() const
{
    static const Limits defaults;
    if (m_config)
        return m_config->settings.limits;
    const auto &current = m_worker->config();
    return current ? current->settings.limits : defaults;
}

void ProxyExchange::begin(HttpMethod labelMethod)
{
    if (m_startNs != 0)
        record(nullptr, {});   // never left unrecorded; a cut exchange counts as aborted
    // Normally done by end(); a reset exchange never leaks a running chain or an upstream.
    completeFilters();
    if (m_upstream)
        releaseUpstream(false);
    m_filtersRan = false;
    m_config = m_worker->config();
    m_metricsOn = !m_config || m_config->settings.telemetry.metricsEnabled;
    m_route = nullptr;
    m_target = nullptr;
    m_attempts = 0;
    m_startNs = EpollEventDispatcher::loopTimeNs();
    m_metricLabels = m_worker->metrics().unroutedLabels(labelMethod);
    m_upstreamNs = 0;
    m_upstreamTimed = false;
    m_responseHeadNs = 0;
    m_endNs = 0;
    m_status = 0;
    m_bytesSent = 0;
    m_ctx.trace.reset();   // beginTrace() follows once the head is complete
    m_ctx.decisions.clear();   // an unrouted exchange runs no chain (which would clear them)
    m_upstreamSpan = m_connectSpan = m_sendSpan = m_firstByteSpan = m_respondSpan = -1;
    m_requestSentNs = 0;
    if (m_metricsOn)
        m_worker->metrics().requestStarted();
}

void ProxyExchange::end()
{
    completeFilters();
    if (m_upstream)
        releaseUpstream(false);
    m_route = nullptr;
    m_target = nullptr;
    m_config.reset();
}

std::optional<GatewayError> ProxyExchange::route(QByteArrayView method, QByteArrayView pathAndQuery,
                                                 QByteArray &allow)
{
    if (!m_config)
        return noConfigError();
    const qsizetype q = pathAndQuery.indexOf('?');
    const QByteArrayView rawPath = q < 0 ? pathAndQuery : pathAndQuery.first(q);
    m_query = q < 0 ? QByteArrayView() : pathAndQuery.sliced(q);
    // Most paths have no dot segment: they are matched and forwarded as views, without a copy.
    m_path = rawPath;
    if (!Router::isNormalized(rawPath)) {
        if (!Router::normalizePath(rawPath, m_normalizedPath))
            return invalidPathError();
        m_path = m_normalizedPath;
    }
    const Router::Match match = m_config->router.match(method, m_path);
    if (match.status == Router::MatchStatus::NotFound)
        return routeNotFoundError(method, m_path);
    if (match.status == Router::MatchStatus::MethodNotAllowed) {
        allow = match.allow;
        return methodNotAllowedError(method, m_path, match.allow);
    }
    m_route = &m_config->routes.at(match.route);
    m_metricLabels = m_worker->metrics().routeLabels(*m_config, *m_route);
    return std::nullopt;
}

const FilterChain *ProxyExchange::chain() const
{
    const size_t routeId = size_t(m_route->id);
    return routeId < m_config->chains.size() ? m_config->chains[routeId].get() : nullptr;
}

FilterStatus ProxyExchange::startFilters(const FilterChain *chain, const ClientRequest &request,
                                         ClientView client)
{
    m_ctx.reset();
    m_filtersRan = true;
    m_ctx.method = request.method;
    m_ctx.path = m_path;
    m_ctx.query = m_query;
    m_ctx.headers = request.headers;
    m_ctx.peer = *client.peer;
    m_ctx.tls = client.tls;
    m_ctx.worker = m_worker;
    m_ctx.config = m_config.get();
    m_ctx.route = m_route;
    m_ctx.workerIndex = m_worker->index();
    m_ctx.host = m_host;
    m_ctx.startNs = m_startNs;
    m_ctx.nowSeconds = QDateTime::currentSecsSinceEpoch();
    m_ctx.recordDecisions = explains();
    if (client.tls && client.stream) {
        m_ctx.certificateSourceData = client.stream;
        m_ctx.certificateSource = [](const void *stream) {
            return static_cast<const ByteStream *>(stream)->peerCertificateChain();
        };
    } else {
        m_ctx.certificateSource = nullptr;
        m_ctx.certificateSourceData = nullptr;
    }
    return m_chainRun.start(chain, m_ctx);
}

FilterStatus ProxyExchange::resumeFilters(bool rerun, FilterStatus status)
{
    return m_chainRun.resume(m_ctx, rerun, status);
}

void ProxyExchange::responseHead(int status, const Http1FieldList &fields)
{
    if (m_filtersRan)
        m_chainRun.responseHead(m_ctx, status, fields);
    traceResponseHead(fields);
}

qint64 ProxyExchange::requestBodyLimit() const
{
    const FilterChain *c = m_filtersRan ? m_chainRun.chain() : nullptr;
    return c ? c->requestBodyLimit() : 0;
}

qint64 ProxyExchange::responseBodyLimit() const
{
    const FilterChain *c = m_filtersRan ? m_chainRun.chain() : nullptr;
    return c ? c->responseBodyLimit() : 0;
}

bool ProxyExchange::responseBodyOptional() const
{
    const FilterChain *c = m_filtersRan ? m_chainRun.chain() : nullptr;
    return c && c->responseBodyOptional();
}

bool ProxyExchange::holdsNotModified(int status) const
{
    const FilterChain *c = m_filtersRan && status == 304 ? m_chainRun.chain() : nullptr;
    return c && c->readsNotModified() && c->responseBodyLimit() > 0;
}

FilterStatus ProxyExchange::requestBody(QByteArray &body)
{
    return m_filtersRan ? m_chainRun.requestBody(m_ctx, body) : FilterStatus::Continue;
}

FilterStatus ProxyExchange::response(int status, const Http1FieldList &fields, QByteArray &body)
{
    m_capture.responseFields(fields);   // a held response: its head is not traced otherwise
    if (!m_filtersRan)
        return FilterStatus::Continue;
    m_chainRun.responseHead(m_ctx, status, fields);
    return m_chainRun.responseBody(m_ctx, status, fields, body);
}

bool ProxyExchange::explains() const
{
    const TraceRing *ring = m_worker->traceRing();
    return ring && m_ctx.trace.isSampled() && ring->isExplaining() && ring->isConsuming();
}

void ProxyExchange::gatewayAnswered(const GatewayError &error)
{
    m_status = error.status;
    if (m_capture.isActive())
        captureGatewayAnswer(error);
    if (!explains())
        return;
    const GatewayError &refusal = m_ctx.error;
    if (m_filtersRan && refusal.status == error.status && refusal.code == error.code
        && refusal.description == error.description)
        return;   // a filter's answer: the filter recorded its own decision
    switch (error.code) {
    case GatewayErrorCode::NoMatchingResource:
    case GatewayErrorCode::MethodNotAllowed:
        m_ctx.decisions.append({Phase::Respond, QStringLiteral("router"), false, error.description, DecisionTime::None, 0});
        return;
    case GatewayErrorCode::UpstreamUnavailable:
    case GatewayErrorCode::UpstreamError:
    case GatewayErrorCode::UpstreamTimeout: {
        QString detail = error.description;
        if (m_target) {
            const qsizetype endpoints = m_route ? m_route->upstreams.size() : 0;
            detail += endpoints > 1 ? QStringLiteral(" (%1, attempt %2 of %3 endpoints)")
                                          .arg(m_target->key).arg(m_attempts).arg(endpoints)
                                    : QStringLiteral(" (%1)").arg(m_target->key);
        }
        m_ctx.decisions.append({Phase::Upstream, QStringLiteral("upstream"), false, detail, DecisionTime::None, 0});
        return;
    }
    default:
        m_ctx.decisions.append({Phase::Respond, QStringLiteral("gateway"), false, error.description, DecisionTime::None, 0});
        return;
    }
}

void ProxyExchange::countRefusal()
{
    if (m_metricsOn)
        m_worker->metrics().countRefusal(m_ctx.error.code);
}

// ---------------------------------------------------------------- upstream

void ProxyExchange::prepareUpstream()
{
    // Written over the previous request's bytes: no allocation once the buffer has grown.
    QByteArrayView below = m_path.sliced(m_route->basePath.size());
    QByteArrayView query = m_query;
    if (m_filtersRan && m_ctx.upstreamPathSet) {   // a rewrite policy chose another target
        below = m_ctx.upstreamPath;
        query = m_ctx.upstreamQuery;
    }
    if (below.isEmpty())
        below = "/";
    m_upstreamPath.resize(below.size() + query.size());
    char *w = m_upstreamPath.data();
    std::memcpy(w, below.data(), size_t(below.size()));
    if (!query.isEmpty())
        std::memcpy(w + below.size(), query.data(), size_t(query.size()));
    m_endpointIndex = m_route->endpoints.strategy == EndpointStrategy::LoadBalance
                          ? m_worker->nextRoundRobin(m_route->id)
                          : 0;
}

UpstreamConnection *ProxyExchange::acquireUpstream(UpstreamHandler *handler, HttpMethod method,
                                                   GatewayError &error)
{
    if (m_route->kind == RouteKind::Grpc) {
        // gRPC upstreams speak HTTP/2 only (HTTP/2 clients reach them through acquireHttp2Upstream());
        // sent HTTP/1.1 they would only close the connection.
        error = {501, GatewayErrorCode::NotImplemented, QStringLiteral("Not implemented"),
                 QStringLiteral("gRPC methods are served to HTTP/2 clients only")};
        return nullptr;
    }
    const UpstreamEndpoint *endpoint = startAttempt(error);
    if (!endpoint)
        return nullptr;
    m_upstream = m_worker->pool().acquire(*endpoint);
    traceAttemptStarted(m_upstream->isConnected());
    m_upstream->begin(handler, method);
    return m_upstream;
}

const UpstreamEndpoint *ProxyExchange::startAttempt(GatewayError &error)
{
    const int count = int(m_route->upstreams.size());
    if (count == 0) {
        error = noEndpointError();
        return nullptr;
    }
    const UpstreamPool &pool = m_worker->pool();   // health is per endpoint, whatever the protocol
    const auto now = Clock::now();
    for (int i = 0; i < count; ++i) {
        const UpstreamEndpoint &endpoint = m_route->upstreams.at((m_endpointIndex + i) % count);
        if (!pool.isAvailable(endpoint.id, now))
            continue;
        m_endpointIndex = (m_endpointIndex + i) % count;
        m_target = &endpoint;
        ++m_attempts;
        attemptStarted();
        return m_target;
    }
    error = circuitOpenError();
    return nullptr;
}

void ProxyExchange::releaseUpstream(bool reusable)
{
    UpstreamConnection *up = std::exchange(m_upstream, nullptr);
    if (!up)
        return;
    if (reusable)
        m_worker->pool().release(up);
    else
        up->abort();
}

bool ProxyExchange::mayRetry(UpstreamFailure failure, HttpMethod method, bool requestBodyStarted)
{
    const bool connectFailure = failure == UpstreamFailure::ConnectFailed
                                || failure == UpstreamFailure::ConnectTimeout;
    const bool safe = connectFailure || (isIdempotent(method) && !requestBodyStarted);
    const int maxAttempts = int(m_route->upstreams.size()) + m_worker->pool().settings().maxRetries;
    if (!safe || m_attempts >= maxAttempts || failure == UpstreamFailure::Timeout)
        return false;
    m_endpointIndex = (m_endpointIndex + 1) % int(m_route->upstreams.size());
    return true;
}

void ProxyExchange::appendUpstreamTarget(QVarLengthArray<char, 256> &target) const
{
    target.append(m_target->pathPrefix.constData(), m_target->pathPrefix.size());
    target.append(m_upstreamPath.constData(), m_upstreamPath.size());
}

bool ProxyExchange::appendUpstreamFields(FieldArray &fields, UpstreamFieldBuffers &buffers,
                                         const ClientRequest &request, ClientView client,
                                         QByteArrayView viaProtocol)
{
    const bool traced = m_ctx.trace.isActive();
    const ConnectionOptions connectionOptions(*request.headers);
    const bool removals = m_filtersRan && !m_ctx.removeUpstreamHeaders.isEmpty();
    bool trailersAccepted = false;
    for (const Http1Field &f : *request.headers) {
        const RequestField action = classifyRequestField(f.name);
        if (action == RequestField::Drop) {
            // "te: trailers" is the one connection-specific field HTTP/2 allows (RFC 9113 §8.2.2).
            trailersAccepted = trailersAccepted
                               || (f.name.size() == 2 && httpNameIs(f.name, "te")
                                   && httpListContainsToken(f.value, "trailers"));
            continue;
        }
        if (connectionOptions.names(f.name))
            continue;
        if (removals && m_ctx.removesUpstreamField(f.name))
            continue;
        // The gateway's trace context replaces the client's; a malformed one is never forwarded.
        if (traced && (f.name.size() == 11 || f.name.size() == 10)
            && (httpNameIs(f.name, "traceparent") || httpNameIs(f.name, "tracestate"))) {
            continue;
        }
        if (action == RequestField::ForwardedFor) {
            appendValue(buffers.forwardedFor, f.value);
            appendValue(buffers.forwardedFor, ", ");
        } else if (action == RequestField::Via) {
            appendValue(buffers.via, f.value);
            appendValue(buffers.via, ", ");
        } else {
            fields.append(f);
        }
    }
    buffers.policyFieldsBegin = fields.size();
    if (m_filtersRan) {
        for (const OwnedField &f : std::as_const(m_ctx.upstreamHeaders))
            fields.append({f.name, f.value});
    }
    buffers.policyFieldsEnd = fields.size();
    fields.append({"Host", m_target->hostHeader});
    appendValue(buffers.forwardedFor, client.peerText);
    fields.append({"X-Forwarded-For", valueView(buffers.forwardedFor)});
    fields.append({"X-Forwarded-Proto", client.tls ? QByteArrayView("https") : QByteArrayView("http")});
    if (!request.host.isEmpty())
        fields.append({"X-Forwarded-Host", request.host});
    appendValue(buffers.via, viaProtocol);
    appendValue(buffers.via, " gatehouse");
    fields.append({"Via", valueView(buffers.via)});
    if (traced) {
        if (!m_traceparentWritten)   // no attempt span: the request's span is the parent
            traceAttemptStarted(true);
        fields.append({"traceparent", QByteArrayView(m_traceparent.data(), m_traceparent.size())});
        if (!m_ctx.trace.incoming().tracestate.isEmpty())
            fields.append({"tracestate", m_ctx.trace.incoming().tracestate});
    }
    traceRequestHeadSent();
    return trailersAccepted;
}

} // namespace Gatehouse
