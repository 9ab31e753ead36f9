// One HTTP/2 stream as a proxy exchange: route, filters, HTTP/1.1 upstream, response back as h2.
#include "http2stream.h"

#include "forwarding.h"
#include "http2connection.h"
#include "worker.h"

#include "http/http1writer.h"
#include "proxy/router.h"

#include <QDateTime>

#include <algorithm>
#include <cstring>

namespace Gatehouse {

namespace {

constexpr qint64 kHighWater = 256 * 1024;      // upstream output before the request body waits
constexpr qint64 kResponseBuffer = 64 * 1024;  // response bytes held per stream before pausing
constexpr qint64 kStreamFlush = 16 * 1024;

using FieldArray = QVarLengthArray<Http1Field, 32>;

bool isPseudo(QByteArrayView name)
{
    return !name.isEmpty() && name.front() == ':';
}

bool parseLength(QByteArrayView text, qint64 &out)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    qint64 v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

} // namespace

void Http2Stream::FieldStore::add(QByteArrayView name, QByteArrayView value)
{
    listBytes += name.size() + value.size() + 32;
    const qsizetype at = bytes.size();
    bytes.append(name.data(), name.size());
    bytes.append(value.data(), value.size());
    refs.append({at, name.size(), at + name.size(), value.size()});
}

void Http2Stream::FieldStore::fill(Http1FieldList &list) const
{
    list.clear();
    const char *base = bytes.constData();
    for (const FieldRef &r : refs) {
        const QByteArrayView name(base + r.name, r.nameSize);
        if (!isPseudo(name))
            list.append(name, {base + r.value, r.valueSize});
    }
}

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

// ---------------------------------------------------------------- request from the client

void Http2Stream::beginHeaders()
{
    m_inTrailers = m_headersDone;
}

void Http2Stream::addHeader(QByteArrayView name, QByteArrayView value)
{
    FieldStore &store = m_inTrailers ? m_requestTrailers : m_requestFields;
    // Past the limit nothing is kept; the request is answered 431 when its block ends. nghttp2
    // bounds the block itself (CONTINUATION count, HPACK table size).
    if (store.listBytes + name.size() + value.size() + 32 > qint64(m_connection->maxHeaderListBytes())) {
        store.listBytes = qint64(m_connection->maxHeaderListBytes()) + 1;
        return;
    }
    store.add(name, value);
}

void Http2Stream::headersComplete(bool trailers, bool endStream)
{
    if (trailers) {
        m_requestTrailers.fill(m_trailers);
        endStream = true;
    } else {
        m_headersDone = true;
        m_lastData = Clock::now();
        // Known before the upstream head is written (a pooled upstream connection is written
        // to at once): a request that ended with its head has no body to frame.
        m_requestEnded = endStream;
        startExchange();
    }
    if (endStream && !m_closed)
        this->endStream();
}

void Http2Stream::startExchange()
{
    // Pseudo-header fields first, then the regular ones; cookies joined (RFC 9113 §8.2.3), the
    // authority as Host for filters and for X-Forwarded-Host.
    QByteArray cookies;
    bool hasHost = false;
    qsizetype methodAt = -1, methodSize = 0, pathAt = -1, pathSize = 0, authorityAt = -1, authoritySize = 0;
    QVarLengthArray<FieldRef, 24> kept;
    for (const FieldRef &r : std::as_const(m_requestFields.refs)) {
        const QByteArrayView name(m_requestFields.bytes.constData() + r.name, r.nameSize);
        const QByteArrayView value(m_requestFields.bytes.constData() + r.value, r.valueSize);
        if (name == ":method") {
            methodAt = r.value, methodSize = r.valueSize;
        } else if (name == ":path") {
            pathAt = r.value, pathSize = r.valueSize;
        } else if (name == ":authority") {
            authorityAt = r.value, authoritySize = r.valueSize;
        } else if (isPseudo(name)) {
            continue;
        } else if (name == "cookie") {
            if (!cookies.isEmpty())
                cookies.append("; ");
            cookies.append(value.data(), value.size());
            continue;
        } else {
            hasHost = hasHost || name == "host";
            if (name == "content-length" && !parseLength(value, m_declaredLength)) {
                reset(Http2ServerSession::kProtocolError);
                return;
            }
        }
        kept.append(r);
    }
    const bool tooLarge = m_requestFields.listBytes > qint64(m_connection->maxHeaderListBytes());
    if (!cookies.isEmpty() || (!hasHost && authorityAt >= 0)) {
        // Appended to the store: the views are taken below, once it stops growing.
        if (!cookies.isEmpty()) {
            const qsizetype at = m_requestFields.bytes.size();
            m_requestFields.bytes.append("cookie");
            m_requestFields.bytes.append(cookies);
            kept.append({at, 6, at + 6, cookies.size()});
        }
        if (!hasHost && authorityAt >= 0) {
            const qsizetype at = m_requestFields.bytes.size();
            m_requestFields.bytes.append("host");
            kept.append({at, 4, authorityAt, authoritySize});
        }
    }
    const char *base = m_requestFields.bytes.constData();
    m_headers.clear();
    for (const FieldRef &r : std::as_const(kept)) {
        const QByteArrayView name(base + r.name, r.nameSize);
        if (!isPseudo(name))
            m_headers.append(name, {base + r.value, r.valueSize});
    }
    m_method = methodAt >= 0 ? QByteArrayView(base + methodAt, methodSize) : QByteArrayView();
    m_pathAndQuery = pathAt >= 0 ? QByteArrayView(base + pathAt, pathSize) : QByteArrayView();
    m_authority = authorityAt >= 0 ? QByteArrayView(base + authorityAt, authoritySize) : QByteArrayView();
    m_headRequest = m_method == "HEAD";
    HttpMethod labelMethod = HttpMethod::Other;
    (void)httpMethodIsKnown(m_method, &labelMethod);
    beginExchange(labelMethod);

    if (tooLarge) {
        respondError({431, GatewayErrorCode::HeadersTooLarge,
                      QStringLiteral("Request header fields too large"),
                      QStringLiteral("The request's header list exceeds %1 bytes")
                          .arg(m_connection->maxHeaderListBytes())});
        return;
    }
    if (!httpMethodIsKnown(m_method, &m_methodKind) || m_methodKind == HttpMethod::Connect) {
        respondError({501, GatewayErrorCode::NotImplemented, QStringLiteral("Not implemented"),
                      QStringLiteral("The method is not supported by the gateway")});
        return;
    }
    route();
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

bool Http2Stream::sendRequestHead()
{
    const bool edits = m_filtersRan && !m_ctx.removeUpstreamHeaders.isEmpty();
    FieldArray fields;
    ValueBuffer xff;
    ValueBuffer via;
    bool trailersAccepted = false;
    for (const Http1Field &f : m_headers) {
        const RequestField action = classifyRequestField(f.name);
        if (action == RequestField::Drop) {
            // "te: trailers" is the one connection-specific field HTTP/2 allows (RFC 9113 §8.2.2).
            trailersAccepted = trailersAccepted || f.name == "te";
            continue;
        }
        if (edits) {
            bool removed = false;
            for (const QByteArray &lower : std::as_const(m_ctx.removeUpstreamHeaders))
                removed = removed || httpEqualsIgnoreCase(f.name, lower);
            if (removed)
                continue;
        }
        if (action == RequestField::ForwardedFor) {
            appendValue(xff, f.value);
            appendValue(xff, ", ");
        } else if (action == RequestField::Via) {
            appendValue(via, f.value);
            appendValue(via, ", ");
        } else {
            fields.append(f);
        }
    }
    if (m_filtersRan) {
        for (const OwnedField &f : std::as_const(m_ctx.upstreamHeaders))
            fields.append({f.name, f.value});
    }
    fields.append({"Host", m_target->hostHeader});
    appendValue(xff, m_connection->peerText());
    fields.append({"X-Forwarded-For", valueView(xff)});
    fields.append({"X-Forwarded-Proto", m_connection->isTls() ? QByteArrayView("https") : QByteArrayView("http")});
    if (!m_authority.isEmpty())
        fields.append({"X-Forwarded-Host", m_authority});
    appendValue(via, "2 gatehouse");
    fields.append({"Via", valueView(via)});
    if (trailersAccepted) {
        fields.append({"TE", "trailers"});
        fields.append({"Connection", "TE"});
    }
    // Framing: the client's content-length when it gave one (DATA is checked against it), none
    // for a request that ended with its head, else chunked (trailers can follow).
    std::array<char, 24> length;
    m_requestChunked = false;
    if (m_declaredLength >= 0) {
        fields.append({"Content-Length", decimal(length, m_declaredLength)});
    } else if (!m_requestEnded || m_receivedBytes > 0) {
        m_requestChunked = true;
        fields.append({"Transfer-Encoding", "chunked"});
    } else if (m_methodKind == HttpMethod::Post || m_methodKind == HttpMethod::Put
               || m_methodKind == HttpMethod::Patch) {
        fields.append({"Content-Length", "0"});
    }
    QVarLengthArray<char, 256> target;
    target.append(m_target->pathPrefix.constData(), m_target->pathPrefix.size());
    target.append(m_upstreamPath.constData(), m_upstreamPath.size());
    QByteArray &out = m_connection->worker()->scratchBuffer();
    if (!Http1Writer::appendRequestHead(out, m_method, {target.constData(), target.size()},
                                        HttpVersion::Http11, {fields.constData(), size_t(fields.size())})) {
        releaseUpstream(false);
        respondError({400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"),
                      QStringLiteral("The request cannot be forwarded as HTTP/1.1")});
        return false;
    }
    m_upstream->write(out);
    return true;
}

void Http2Stream::data(QByteArrayView bytes)
{
    m_receivedBytes += bytes.size();
    m_lastData = Clock::now();
    if (m_declaredLength >= 0 && m_receivedBytes > m_declaredLength) {
        m_connection->session().consume(m_id, bytes.size());
        reset(Http2ServerSession::kProtocolError);   // more DATA than content-length said
        return;
    }
    if (m_discardBody || m_closed) {
        m_connection->session().consume(m_id, bytes.size());
        return;
    }
    // Held until the upstream takes it; the client's stream window bounds what can arrive.
    m_pendingBody.append(bytes.data(), bytes.size());
    pumpRequestBody();
}

void Http2Stream::endStream()
{
    m_requestEnded = true;
    if (m_declaredLength >= 0 && m_receivedBytes != m_declaredLength) {
        reset(Http2ServerSession::kProtocolError);
        return;
    }
    pumpRequestBody();
}

void Http2Stream::pumpRequestBody()
{
    if (!m_upstream || !m_upstream->isConnected() || m_responseComplete || m_requestTerminated)
        return;
    if (m_upstream->bytesToWrite() > kHighWater)
        return;   // resumed by upstreamDrained()
    if (!m_pendingBody.isEmpty()) {
        const qint64 n = m_pendingBody.size();
        m_requestBodyStarted = true;
        if (m_requestChunked) {
            QByteArray chunk;
            Http1Writer::appendChunkHeader(chunk, n);
            m_upstream->write(chunk);
            m_upstream->write(m_pendingBody);
            m_upstream->write("\r\n");
        } else {
            m_upstream->write(m_pendingBody);
        }
        m_pendingBody.resize(0);
        m_connection->session().consume(m_id, n);   // the client may send that much more
        m_connection->requestSend();
    }
    if (m_requestEnded) {
        m_requestTerminated = true;
        if (m_requestChunked) {
            QByteArray last;
            if (!Http1Writer::appendLastChunk(last, m_trailers.fields())) {
                last.clear();
                (void)Http1Writer::appendLastChunk(last);
            }
            m_upstream->write(last);
        }
        if (m_deadlineKind == Deadline::UpstreamResponse && !m_responseHeadSent)
            setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
        m_upstream->flush();
        return;
    }
    if (m_upstream->bytesToWrite() >= kStreamFlush)
        m_upstream->flush();
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
    fields.append({"content-type", "application/json"});
    fields.append({"content-length", decimal(length, body.size())});
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
        const Http1Field safe[] = {{"content-type", "application/json"},
                                   {"content-length", decimal(length, body.size())}};
        if (!m_connection->session().submitResponse(m_id, error.status, safe, !m_out.isEmpty()))
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
    const ConnectionOptions connectionOptions(head.headers);
    FieldArray fields;
    ValueBuffer via;
    for (const Http1Field &f : head.headers) {
        if (isHopByHop(f.name) || connectionOptions.names(f.name))
            continue;
        if (isViaField(f.name)) {
            appendValue(via, f.value);
            appendValue(via, ", ");
            continue;
        }
        fields.append(f);
    }
    appendValue(via, "1.1 gatehouse");
    fields.append({"via", valueView(via)});
    if (m_filtersRan) {
        for (const OwnedField &f : std::as_const(m_ctx.responseHeaders))
            fields.append({f.name, f.value});
    }
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
