// One HTTP/2 stream as a proxy exchange: route, filters, upstream attempts, deadlines, and the
// response back as HTTP/2 (the request side is in http2streamrequest.cpp).
#include "http2stream.h"

#include "forwarding.h"
#include "http2connection.h"
#include "worker.h"

#include "proxy/router.h"

#include <QDateTime>

#include <algorithm>
#include <cstring>

namespace Gatehouse {

namespace {

constexpr qint64 kResponseBuffer = 64 * 1024;  // response bytes held per stream before pausing


} // namespace

Http2Stream::Http2Stream(Http2Connection *connection, qint32 id) : m_connection(connection), m_id(id)
{
}

Http2Stream::~Http2Stream()
{
    closed();
}

void Http2Stream::closed()
{
    if (m_closed)
        return;
    m_closed = true;
    recordExchange();
    completeFilters();
    if (m_upstream)
        releaseUpstream(false);
}

void Http2Stream::completeFilters()
{
    if (m_filtersRan) {
        m_chainRun.complete(m_ctx);   // cancels a suspended filter's resume handle
        m_filtersRan = false;
    }
}

void Http2Stream::route()
{
    Worker *worker = m_connection->worker();
    m_config = worker->config();
    if (!m_config) {
        respondError(noConfigError());
        return;
    }
    const qsizetype q = m_pathAndQuery.indexOf('?');
    const QByteArrayView rawPath = q < 0 ? m_pathAndQuery : m_pathAndQuery.first(q);
    m_query = q < 0 ? QByteArrayView() : m_pathAndQuery.sliced(q);
    m_path = rawPath;
    if (!Router::isNormalized(rawPath)) {
        if (!Router::normalizePath(rawPath, m_normalizedPath)) {
            respondError(invalidPathError());
            return;
        }
        m_path = m_normalizedPath;
    }
    const Router::Match match = m_config->router.match(m_method, m_path);
    if (match.status == Router::MatchStatus::NotFound) {
        respondError(routeNotFoundError(m_method, m_path));
        return;
    }
    if (match.status == Router::MatchStatus::MethodNotAllowed) {
        const Http1Field allow[] = {{"allow", match.allow}};
        respondError(methodNotAllowedError(m_method, m_path, match.allow), allow);
        return;
    }
    m_route = &m_config->routes.at(match.route);
    routed();
    const size_t routeId = size_t(m_route->id);
    const FilterChain *chain = routeId < m_config->chains.size() ? m_config->chains[routeId].get() : nullptr;
    if (chain) {
        runFilters(chain);
        return;
    }
    forwardUpstream();
}

void Http2Stream::runFilters(const FilterChain *chain)
{
    m_ctx.reset();
    m_filtersRan = true;
    m_ctx.method = m_method;
    m_ctx.path = m_path;
    m_ctx.query = m_query;
    m_ctx.headers = &m_headers;
    m_ctx.peer = m_connection->peer();
    m_ctx.tls = m_connection->isTls();
    m_ctx.worker = m_connection->worker();
    m_ctx.config = m_config.get();
    m_ctx.route = m_route;
    m_ctx.workerIndex = m_connection->worker()->index();
    m_ctx.host = this;
    m_ctx.nowSeconds = QDateTime::currentSecsSinceEpoch();
    if (m_connection->isTls()) {
        m_ctx.certificateSourceData = m_connection->byteStream();
        m_ctx.certificateSource = [](const void *stream) {
            return static_cast<const ByteStream *>(stream)->peerCertificateChain();
        };
    } else {
        m_ctx.certificateSource = nullptr;
    }
    afterFilters(m_chainRun.start(chain, m_ctx));
}

void Http2Stream::afterFilters(FilterStatus status)
{
    switch (status) {
    case FilterStatus::Continue:
        forwardUpstream();
        return;
    case FilterStatus::Respond: {
        refused();
        respondError(m_ctx.error);
        return;
    }
    case FilterStatus::Suspend:
        setDeadline(Deadline::Filter, m_connection->worker()->pool().settings().requestTimeout);
        return;
    }
}

void Http2Stream::resumeFilterChain(bool rerunCurrent, FilterStatus status)
{
    if (m_closed || !m_chainRun.isSuspended())
        return;
    m_deadlineKind = Deadline::None;
    afterFilters(m_chainRun.resume(m_ctx, rerunCurrent, status));
    m_connection->requestSend();
}

void Http2Stream::forwardUpstream()
{
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
                          ? m_connection->worker()->nextRoundRobin(m_route->id)
                          : 0;
    startUpstream();
}

bool Http2Stream::startUpstream()
{
    const int count = int(m_route->upstreams.size());
    if (count == 0) {
        respondError(noEndpointError());
        return false;
    }
    UpstreamPool &pool = m_connection->worker()->pool();
    const auto now = Clock::now();
    for (int i = 0; i < count; ++i) {
        const UpstreamEndpoint &endpoint = m_route->upstreams.at((m_endpointIndex + i) % count);
        if (!pool.isAvailable(endpoint.id, now))
            continue;
        m_endpointIndex = (m_endpointIndex + i) % count;
        m_target = &endpoint;
        ++m_attempts;
        m_upstream = pool.acquire(endpoint);
        const bool connected = m_upstream->isConnected();
        setDeadline(connected ? Deadline::UpstreamResponse : Deadline::UpstreamConnect,
                    connected ? pool.settings().requestTimeout : pool.settings().connectTimeout);
        attemptStarted();
        m_upstream->begin(this, m_methodKind);
        return true;
    }
    respondError(circuitOpenError());
    return false;
}

// ---------------------------------------------------------------- response to the client

void Http2Stream::submitHead(int status, std::span<const Http1Field> fields, bool hasBody)
{
    responseHeadReceived(status);
    m_responseHeadSent = true;
    if (!m_connection->session().submitResponse(m_id, status, fields, hasBody)) {
        reset(Http2ServerSession::kInternalError);
        return;
    }
    m_connection->requestSend();
}

void Http2Stream::respondError(const GatewayError &error, std::span<const Http1Field> extraFields)
{
    if (m_closed)
        return;
    m_deadlineKind = Deadline::None;
    if (m_upstream)
        releaseUpstream(false);
    if (m_responseHeadSent) {
        reset(Http2ServerSession::kInternalError);   // mid-body: the stream is cut
        return;
    }
    m_responseStatus = error.status;
    // Request bytes that still arrive are acknowledged and dropped.
    m_discardBody = true;
    if (!m_pendingBody.isEmpty()) {
        m_connection->session().consume(m_id, m_pendingBody.size());
        m_pendingBody = QByteArray();
    }
    const QByteArray body = errorBody(error);
    std::array<char, 24> length;
    FieldArray fields;
    const bool hasBody = statusHasBody(error.status);
    if (hasBody) {
        fields.append({"content-type", errorContentType(error)});
        fields.append({"content-length", decimal(length, body.size())});
    }
    for (const Http1Field &f : extraFields)
        fields.append(f);
    if (m_filtersRan) {
        for (const OwnedField &f : std::as_const(m_ctx.responseHeaders))
            fields.append({f.name, f.value});
    }
    m_out = m_headRequest ? QByteArray() : body;
    m_outPos = 0;
    m_responseComplete = true;
    m_responseHeadSent = true;
    if (!m_connection->session().submitResponse(m_id, error.status, {fields.constData(), size_t(fields.size())},
                                                !m_out.isEmpty())) {
        // Only a policy-provided field can be invalid: answer without them.
        const Http1Field safe[] = {{"content-type", errorContentType(error)},
                                   {"content-length", decimal(length, body.size())}};
        const std::span<const Http1Field> kept = hasBody ? std::span<const Http1Field>(safe)
                                                         : std::span<const Http1Field>();
        if (!m_connection->session().submitResponse(m_id, error.status, kept, !m_out.isEmpty()))
            reset(Http2ServerSession::kInternalError);
    }
    completeFilters();
    m_connection->requestSend();
}

qint64 Http2Stream::readBody(std::span<char> buffer, bool &end)
{
    const qsizetype available = m_out.size() - m_outPos;
    const qsizetype n = std::min<qsizetype>(available, qsizetype(buffer.size()));
    if (n > 0) {
        std::memcpy(buffer.data(), m_out.constData() + m_outPos, size_t(n));
        m_outPos += n;
        m_bytesSent += n;
    }
    if (m_outPos == m_out.size()) {
        m_out.resize(0);   // keeps its capacity for the next bytes
        m_outPos = 0;
        if (m_upstreamPaused)
            m_connection->waitForOutput(m_id);   // resumed outside nghttp2's call
    }
    if (m_out.isEmpty() && m_responseComplete) {
        end = true;
        if (!m_responseTrailers.refs.isEmpty()) {
            Http1FieldList trailers;
            m_responseTrailers.fill(trailers);
            if (!trailers.isEmpty())
                m_connection->session().submitTrailers(m_id, trailers.fields());
        }
        return n;
    }
    return n > 0 ? n : -1;
}

void Http2Stream::appendResponseBody(QByteArrayView bytes)
{
    if (m_outPos > 0 && m_outPos == m_out.size()) {
        m_out.resize(0);
        m_outPos = 0;
    }
    m_out.append(bytes.data(), bytes.size());
    m_connection->session().resumeData(m_id);
    m_connection->requestSend();
}

void Http2Stream::resumeUpstreamReading()
{
    if (m_upstreamPaused && m_upstream && m_out.size() - m_outPos < kResponseBuffer) {
        m_upstreamPaused = false;
        m_upstream->setReadingPaused(false);
    }
}

// ---------------------------------------------------------------- upstream

void Http2Stream::upstreamConnected()
{
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    if (!sendRequestHead())
        return;
    pumpRequestBody();
    if (m_upstream)
        m_upstream->flush();
}

void Http2Stream::upstreamHead(const Http1Head &head)
{
    if (m_filtersRan)
        m_chainRun.responseHead(m_ctx, head.statusCode, head.headers);
    FieldArray fields;
    ValueBuffer via;
    appendResponseFields(fields, via, head.headers, m_filtersRan ? &m_ctx : nullptr, "via");
    std::array<char, 24> length;
    // A chunked body may be empty and still bring trailers: it ends through the data source.
    bool hasBody = !m_headRequest;
    switch (head.framing) {
    case Http1Framing::ContentLength:
        fields.append({"content-length", decimal(length, head.contentLength)});
        hasBody = hasBody && head.contentLength > 0;
        break;
    case Http1Framing::Chunked:
    case Http1Framing::UntilClose:
        break;
    case Http1Framing::NoBody:
        if (const QByteArrayView cl = head.headers.value("content-length"); !cl.isNull())
            fields.append({"content-length", cl});
        hasBody = false;
        break;
    }
    m_connection->worker()->pool().recordSuccess(m_target->id);
    submitHead(head.statusCode, {fields.constData(), size_t(fields.size())}, hasBody);
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
}

void Http2Stream::upstreamBody(QByteArrayView data)
{
    if (m_headRequest || m_closed)
        return;
    appendResponseBody(data);
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    if (m_upstream && m_out.size() - m_outPos >= kResponseBuffer) {
        m_upstreamPaused = true;
        m_upstream->setReadingPaused(true);
        m_connection->waitForOutput(m_id);
    }
}

void Http2Stream::upstreamComplete(const Http1FieldList &trailers)
{
    attemptEnded(UpstreamFailure::Reset, false);
    for (const Http1Field &f : trailers)
        m_responseTrailers.add(f.name, f.value);   // the upstream's parser reuses its buffer
    m_deadlineKind = Deadline::None;
    m_responseComplete = true;
    // The upstream answered before the whole request went out: that connection cannot be reused.
    releaseUpstream(m_requestTerminated);
    if (!m_requestEnded)
        m_discardBody = true;
    if (!m_pendingBody.isEmpty()) {
        m_connection->session().consume(m_id, m_pendingBody.size());
        m_pendingBody = QByteArray();
    }
    completeFilters();
    m_connection->session().resumeData(m_id);
    m_connection->requestSend();
}

void Http2Stream::upstreamFailed(UpstreamFailure failure, bool responseStarted)
{
    m_upstream = nullptr;
    m_deadlineKind = Deadline::None;
    attemptEnded(failure, true);
    if (failure != UpstreamFailure::BadResponse)
        m_connection->worker()->pool().recordFailure(m_target->id, Clock::now());
    if (responseStarted || m_responseHeadSent) {
        reset(Http2ServerSession::kInternalError);
        return;
    }
    const bool connectFailure = failure == UpstreamFailure::ConnectFailed
                                || failure == UpstreamFailure::ConnectTimeout;
    const bool safe = connectFailure || (isIdempotent(m_methodKind) && !m_requestBodyStarted);
    const int maxAttempts = int(m_route->upstreams.size())
                            + m_connection->worker()->pool().settings().maxRetries;
    if (safe && m_attempts < maxAttempts && failure != UpstreamFailure::Timeout) {
        m_endpointIndex = (m_endpointIndex + 1) % int(m_route->upstreams.size());
        m_requestTerminated = false;
        startUpstream();
        return;
    }
    respondError(upstreamError(failure));
}

void Http2Stream::upstreamDrained()
{
    pumpRequestBody();
}

void Http2Stream::releaseUpstream(bool reusable)
{
    UpstreamConnection *up = std::exchange(m_upstream, nullptr);
    if (!up)
        return;
    if (reusable)
        m_connection->worker()->pool().release(up);
    else
        up->abort();
}

void Http2Stream::failUpstream(UpstreamFailure failure)
{
    if (UpstreamConnection *up = std::exchange(m_upstream, nullptr))
        up->abort();
    upstreamFailed(failure, m_responseHeadSent);
}

void Http2Stream::reset(quint32 errorCode)
{
    if (m_closed)
        return;
    m_deadlineKind = Deadline::None;
    if (m_upstream)
        releaseUpstream(false);
    completeFilters();
    m_discardBody = true;
    if (!m_pendingBody.isEmpty()) {
        m_connection->session().consume(m_id, m_pendingBody.size());
        m_pendingBody = QByteArray();
    }
    m_connection->session().resetStream(m_id, errorCode);
    m_connection->requestSend();
}

void Http2Stream::setDeadline(Deadline kind, std::chrono::milliseconds after)
{
    m_deadlineKind = kind;
    m_deadline = Clock::now() + after;
}

void Http2Stream::tick(Clock::time_point now)
{
    if (m_closed || m_deadlineKind == Deadline::None || now < m_deadline)
        return;
    switch (m_deadlineKind) {
    case Deadline::Filter:
        if (m_chainRun.isSuspended()) {
            completeFilters();
            respondError(policyTimeoutError());
        }
        return;
    case Deadline::UpstreamConnect:
        failUpstream(UpstreamFailure::ConnectTimeout);
        return;
    case Deadline::UpstreamResponse: {
        const auto &config = m_config ? m_config->settings.limits : Limits{};
        if (!m_requestEnded && !m_responseHeadSent) {
            // The request still arrives at the client's pace: bodyTimeout bounds a pause in it.
            if (now - m_lastData < config.bodyTimeout) {
                setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
                return;
            }
            respondError(requestTimeoutError(QStringLiteral("The request body stopped arriving")));
            return;
        }
        failUpstream(UpstreamFailure::Timeout);
        return;
    }
    case Deadline::None:
        return;
    }
}

} // namespace Gatehouse
