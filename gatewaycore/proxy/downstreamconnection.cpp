// One client connection speaking HTTP/1.1: parse, route, forward with backpressure, answer errors.
#include "downstreamconnection.h"

#include "forwarding.h"
#include "worker.h"

#include "http/http1writer.h"
#include "proxy/router.h"
#include "telemetry/accesslog.h"
#include "telemetry/metricsshard.h"

#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>


namespace Gatehouse {

namespace {

// Reads start with a buffer for a typical request head and grow to kReadChunk once a read fills
// it (bodies, large heads): an idle keep-alive connection does not hold 16 KiB.
constexpr qsizetype kFirstReadChunk = 2 * 1024;
constexpr qsizetype kReadChunk = 16 * 1024;
constexpr qint64 kHighWater = 256 * 1024;
constexpr qint64 kLowWater = 64 * 1024;
constexpr qint64 kStreamFlush = 16 * 1024;   // body bytes held back to leave with what follows


} // namespace

DownstreamConnection::DownstreamConnection(Worker *worker, std::unique_ptr<ByteStream> stream,
                                           bool tls)
    : QObject(worker), m_worker(worker), m_stream(std::move(stream)),
      m_parser(Http1Role::Request, worker->requestLimits()), m_tls(tls)
{
    m_peer = m_stream->peerAddress();
    if (m_peer.protocol() == QAbstractSocket::IPv6Protocol) {
        bool isV4 = false;
        const quint32 v4 = m_peer.toIPv4Address(&isV4);
        if (isV4)
            m_peer = QHostAddress(v4);
    }
    m_peerText = m_peer.toString().toLatin1();
    m_stream->setHandler(this);
    const auto &limits = worker->config() ? worker->config()->settings.limits : Limits{};
    setDeadline(Deadline::Header, limits.headerTimeout);
}

DownstreamConnection::~DownstreamConnection()
{
    recordExchange();   // cut at the drain deadline
    if (m_upstream)
        releaseUpstream(false);
}

void DownstreamConnection::setDeadline(Deadline kind, std::chrono::milliseconds after)
{
    m_deadlineKind = kind;
    m_deadline = Clock::now() + after;
    // A parked connection that has something to do again is ticked like any other.
    if (tickLinks.parked)
        m_worker->unpark(this);
}

void DownstreamConnection::releaseIdleBuffers()
{
    if (m_inPos == m_inEnd) {
        m_in = QByteArray();
        m_inPos = m_inEnd = 0;
    }
    m_parser.releaseBuffers();
    m_stream->releaseBuffers();
}

void DownstreamConnection::tick(Clock::time_point now)
{
    if (m_closed)
        return;
    // limits.bodyTimeout: the request body stopped flowing while the gateway was ready to read
    // it (waits caused by the upstream or by backpressure do not count).
    if (m_state == State::Forwarding && !m_requestComplete && !m_responseHeadSent && now >= m_bodyDeadline
        && m_upstream && m_upstream->isConnected() && m_upstream->bytesToWrite() <= kHighWater) {
        respondError({408, GatewayErrorCode::RequestTimeout, QStringLiteral("Request timeout"),
                      QStringLiteral("The request body stopped arriving")},
                     true);
        return;
    }
    if (m_deadlineKind == Deadline::None || now < m_deadline)
        return;
    switch (m_deadlineKind) {
    case Deadline::Idle:
        closeNow();
        return;
    case Deadline::Header:
        if (m_state == State::ReadingHead) {
            respondError({408, GatewayErrorCode::RequestTimeout, QStringLiteral("Request timeout"),
                          QStringLiteral("The request head did not arrive in time")},
                         true);
        } else {
            closeNow();
        }
        return;
    case Deadline::Filter:
        if (m_chainRun.isSuspended()) {
            m_chainRun.complete(m_ctx);
            m_filtersRan = false;
            respondError(policyTimeoutError(), m_closeOnEarlyAnswer);
        }
        return;
    case Deadline::UpstreamConnect:
        failUpstream(UpstreamFailure::ConnectTimeout);
        return;
    case Deadline::UpstreamResponse:
        if (m_state == State::Forwarding && !m_requestComplete && !m_responseHeadSent && m_upstream
            && m_upstream->bytesToWrite() <= kHighWater) {
            // The request is still arriving at the client's pace (bodyTimeout guards that);
            // requestTimeout runs from the request sent, or while the upstream stops reading it.
            setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
            return;
        }
        failUpstream(UpstreamFailure::Timeout);
        return;
    case Deadline::None:
        return;
    }
}

void DownstreamConnection::drain()
{
    m_draining = true;
    if (m_state == State::WaitingForRequest)
        closeAfterWrite();
}

// ---------------------------------------------------------------- client side

void DownstreamConnection::streamReadable()
{
    m_readDrained = false;
    processInput();
    if (m_closed || m_readDrained || m_readPaused)
        return;
    // Bytes wait that the connection cannot take now (a response is pending, backpressure):
    // readiness would report them on every turn of the loop. Look once whether the client
    // closed (Qt's sockets treated that as a disconnect too), else pause until processInput().
    if (m_stream->peek() < 0) {
        closeNow();
        return;
    }
    m_readPaused = true;
    m_stream->setReadNotifications(false);
}

void DownstreamConnection::processInput()
{
    // Callbacks below may lead back here (an early answer, a pooled upstream that is connected at
    // once); the outer loop picks up the new state, so nested calls return instead of recursing.
    if (m_inProcessInput)
        return;
    if (m_readPaused) {
        m_readPaused = false;
        m_stream->setReadNotifications(true);
    }
    m_inProcessInput = true;
    parseLoop();
    m_inProcessInput = false;
    // What this pass queued for the upstream (the head, body bytes, the last chunk) leaves in one
    // write.
    if (m_upstream)
        m_upstream->flush();
}

void DownstreamConnection::parseLoop()
{
    while (!m_closed) {
        if (m_state == State::Closing) {
            // Lingering close: discard what the client still sends so the kernel does not reset
            // the connection (and destroy our answer) because of unread data.
            char sink[4096];
            qint64 n = 0;
            while ((n = m_stream->read(sink, sizeof sink)) > 0) {
            }
            m_readDrained = true;
            if (n < 0)
                closeNow();   // the client read our answer and closed: done
            return;
        }
        if (m_state == State::AwaitingResponse)
            return;   // pipelined requests wait until the current response is done
        if (m_state == State::Forwarding && m_upstream && m_upstream->bytesToWrite() > kHighWater)
            m_upstream->flush();   // what the kernel refuses now is the backpressure
        if (m_state == State::Forwarding
            && (!m_upstream || !m_upstream->isConnected() || m_upstream->bytesToWrite() > kHighWater))
            return;   // backpressure: resume from upstreamConnected() / upstreamDrained()
        // The parser is asked first even without new bytes: a bodyless request is complete right
        // after its head, and that event comes from a call with nothing left to offer.
        const Http1Step step = m_parser.next({m_in.constData() + m_inPos, m_inEnd - m_inPos});
        m_inPos += step.consumed;
        switch (step.event) {
        case Http1Event::NeedData: {
            if (m_sniffing) {
                if (!sniffProtocol())
                    return;
                break;
            }
            if (m_in.size() < kFirstReadChunk)
                m_in.resize(kFirstReadChunk);   // then reads reuse it, with no resize per read
            m_inPos = 0;
            const qint64 chunk = m_in.size();
            const qint64 n = m_stream->read(m_in.data(), chunk);
            m_inEnd = n > 0 ? n : 0;
            // A short read emptied the kernel's queue: no need to come back before readiness.
            m_readDrained = n < chunk;
            if (n == chunk && chunk < kReadChunk)
                m_in.resize(kReadChunk);   // more is coming: larger reads from the next one on
            if (n < 0) {
                // The client closed (or reset): an unbuffered socket reports it only here, Qt
                // emits no disconnected() for it.
                closeNow();
                return;
            }
            if (n == 0)
                return;
            if (m_state == State::Forwarding)
                armBodyTimeout();
            if (m_state == State::WaitingForRequest) {
                m_state = State::ReadingHead;
                const auto &limits = m_worker->config() ? m_worker->config()->settings.limits : Limits{};
                setDeadline(Deadline::Header, limits.headerTimeout);
            }
            break;
        }
        case Http1Event::Head:
            onRequestHead();
            break;
        case Http1Event::Body:
            onRequestBody(step.data);
            break;
        case Http1Event::MessageComplete:
            onRequestComplete();
            break;
        case Http1Event::Paused:
            // An Upgrade request was served as plain HTTP (upgrades are not proxied); CONNECT
            // cannot be resumed, and was answered with close already.
            if (!m_parser.resume())
                closeAfterWrite();
            break;
        case Http1Event::Error: {
            const Http1Failure &f = m_parser.error();
            const int status = http1ErrorStatus(f.code, Http1Role::Request);
            GatewayErrorCode code = GatewayErrorCode::BadRequest;
            QString message = QStringLiteral("Bad request");
            switch (status) {
            case 413: code = GatewayErrorCode::RequestTooLarge; message = QStringLiteral("Content too large"); break;
            case 414: code = GatewayErrorCode::UriTooLong; message = QStringLiteral("URI too long"); break;
            case 431: code = GatewayErrorCode::HeadersTooLarge; message = QStringLiteral("Request header fields too large"); break;
            case 501: code = GatewayErrorCode::NotImplemented; message = QStringLiteral("Not implemented"); break;
            case 505: code = GatewayErrorCode::VersionNotSupported; message = QStringLiteral("HTTP version not supported"); break;
            default: break;
            }
            if (m_upstream)
                releaseUpstream(false);
            if (m_responseHeadSent || f.code == Http1Error::IncompleteMessage)
                closeNow();
            else
                respondError({status, code, message, QString::fromLatin1(f.reason)}, true);
            return;
        }
        }
    }
}

void DownstreamConnection::onRequestHead()
{
    const Http1Head &head = m_parser.head();
    if (head.upgrade && upgradeToHttp2())
        return;   // h2c: the request goes on as stream 1 of an HTTP/2 connection
    m_config = m_worker->config();
    m_route = nullptr;
    beginExchange(m_worker->metrics().unroutedLabels(head.method));
    m_exchangeHasHead = true;
    m_requestComplete = false;
    m_requestBodyStarted = false;
    m_responseHeadSent = false;
    m_continueSent = false;
    m_attempts = 0;
    m_headRequest = head.method == HttpMethod::Head;
    if (m_filtersRan) {
        m_chainRun.complete(m_ctx);   // normally done by finishExchange(); a reset never leaks
        m_filtersRan = false;
    }
    m_keepAlive = head.keepAlive && !m_draining;
    m_state = State::Forwarding;
    m_deadlineKind = Deadline::None;
    const bool hasBody = head.framing != Http1Framing::NoBody
                         && !(head.framing == Http1Framing::ContentLength && head.contentLength == 0);
    // An early answer with an unread body must close: the rest of the body would be parsed as the
    // next request otherwise.
    const bool closeOnError = hasBody || head.upgrade || !m_keepAlive;
    if (hasBody)
        armBodyTimeout();

    if (!m_config) {
        respondError(noConfigError(), closeOnError);
        return;
    }

    const QByteArrayView pathAndQuery = head.pathAndQuery();
    const qsizetype q = pathAndQuery.indexOf('?');
    const QByteArrayView rawPath = q < 0 ? pathAndQuery : pathAndQuery.first(q);
    const QByteArrayView query = q < 0 ? QByteArrayView() : pathAndQuery.sliced(q);
    // Most paths have no dot segment: they are matched and forwarded as views, without a copy.
    QByteArrayView path = rawPath;
    if (!Router::isNormalized(rawPath)) {
        if (!Router::normalizePath(rawPath, m_normalizedPath)) {
            respondError(invalidPathError(), closeOnError);
            return;
        }
        path = m_normalizedPath;
    }
    const Router::Match match = m_config->router.match(head.methodName, path);
    if (match.status == Router::MatchStatus::NotFound) {
        respondError(routeNotFoundError(head.methodName, path), closeOnError);
        return;
    }
    if (match.status == Router::MatchStatus::MethodNotAllowed) {
        const Http1Field allow[] = {{"Allow", match.allow}};
        respondError(methodNotAllowedError(head.methodName, path, match.allow), closeOnError, allow);
        return;
    }
    m_route = &m_config->routes.at(match.route);
    m_metricLabels = m_worker->metrics().routeLabels(*m_config, *m_route);
    m_path = path;
    m_query = query;
    m_closeOnEarlyAnswer = closeOnError;
    m_requestChunked = head.framing == Http1Framing::Chunked;

    const size_t routeId = size_t(m_route->id);
    const FilterChain *chain = routeId < m_config->chains.size() ? m_config->chains[routeId].get() : nullptr;
    if (chain) {
        runFilters(chain, path, query);
        return;
    }
    forwardUpstream();
}

void DownstreamConnection::runFilters(const FilterChain *chain, QByteArrayView path, QByteArrayView query)
{
    const Http1Head &head = m_parser.head();
    m_ctx.reset();
    m_filtersRan = true;
    m_ctx.method = head.methodName;
    m_ctx.path = path;
    m_ctx.query = query;
    m_ctx.headers = &head.headers;
    m_ctx.peer = m_peer;
    m_ctx.tls = m_tls;
    m_ctx.worker = m_worker;
    m_ctx.config = m_config.get();
    m_ctx.route = m_route;
    m_ctx.workerIndex = m_worker->index();
    m_ctx.host = this;
    m_ctx.nowSeconds = QDateTime::currentSecsSinceEpoch();
    if (m_tls) {
        m_ctx.certificateSourceData = m_stream.get();
        m_ctx.certificateSource = [](const void *stream) {
            return static_cast<const ByteStream *>(stream)->peerCertificateChain();
        };
    } else {
        m_ctx.certificateSource = nullptr;
    }
    afterFilters(m_chainRun.start(chain, m_ctx));
}

void DownstreamConnection::afterFilters(FilterStatus status)
{
    switch (status) {
    case FilterStatus::Continue:
        forwardUpstream();
        return;
    case FilterStatus::Respond: {
        m_worker->metrics().countRefusal(m_ctx.error.code);
        QVarLengthArray<Http1Field, 8> fields;
        for (const OwnedField &f : std::as_const(m_ctx.responseHeaders))
            fields.append({f.name, f.value});
        respondError(m_ctx.error, m_closeOnEarlyAnswer, {fields.constData(), size_t(fields.size())});
        return;
    }
    case FilterStatus::Suspend:
        // Reading stops (parseLoop waits while Forwarding without an upstream) until the filter
        // resumes; the request timeout bounds the wait.
        setDeadline(Deadline::Filter, m_worker->pool().settings().requestTimeout);
        return;
    }
}

void DownstreamConnection::resumeFilterChain(bool rerunCurrent, FilterStatus status)
{
    if (m_closed || !m_chainRun.isSuspended())
        return;
    m_deadlineKind = Deadline::None;
    afterFilters(m_chainRun.resume(m_ctx, rerunCurrent, status));
    if (!m_closed)
        processInput();   // the body (if any) flows again; the upstream head leaves
}

void DownstreamConnection::forwardUpstream()
{
    // Upstream path: the request path below the API's base path, plus the query; the endpoint's
    // path is put in front when the request head is written (sendRequestHead). Written over the
    // previous request's bytes: no allocation once the buffer has grown.
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
    startUpstream();
}

bool DownstreamConnection::startUpstream()
{
    const int count = int(m_route->upstreams.size());
    if (count == 0) {
        respondError(noEndpointError(), !m_requestComplete);
        return false;
    }
    UpstreamPool &pool = m_worker->pool();
    const auto now = Clock::now();
    for (int i = 0; i < count; ++i) {
        const UpstreamEndpoint &endpoint = m_route->upstreams.at((m_endpointIndex + i) % count);
        if (!pool.isAvailable(endpoint.id, now))
            continue;
        m_endpointIndex = (m_endpointIndex + i) % count;
        m_target = &endpoint;
        ++m_attempts;
        m_attemptStartNs = monotonicNs();
        m_upstream = pool.acquire(endpoint);
        const bool connected = m_upstream->isConnected();
        setDeadline(connected ? Deadline::UpstreamResponse : Deadline::UpstreamConnect,
                    connected ? pool.settings().requestTimeout : pool.settings().connectTimeout);
        m_upstream->begin(this, m_parser.head().method);
        return true;
    }
    respondError(circuitOpenError(), !m_requestComplete);
    return false;
}

void DownstreamConnection::sendRequestHead()
{
    const Http1Head &head = m_parser.head();
    const ConnectionOptions connectionOptions(head.headers);
    FieldArray fields;
    ValueBuffer xff;
    ValueBuffer via;
    const bool edits = m_filtersRan && !m_ctx.removeUpstreamHeaders.isEmpty();
    for (const Http1Field &f : head.headers) {
        const RequestField action = classifyRequestField(f.name);
        if (action == RequestField::Drop || connectionOptions.names(f.name))
            continue;
        if (edits && m_ctx.removesUpstreamField(f.name))
            continue;
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
    appendValue(xff, m_peerText);
    fields.append({"X-Forwarded-For", valueView(xff)});
    fields.append({"X-Forwarded-Proto", m_tls ? QByteArrayView("https") : QByteArrayView("http")});
    if (!head.host.isEmpty())
        fields.append({"X-Forwarded-Host", head.host});
    appendValue(via, head.version == HttpVersion::Http10 ? "1.0 gatehouse" : "1.1 gatehouse");
    fields.append({"Via", valueView(via)});
    std::array<char, 24> length;
    if (head.framing == Http1Framing::ContentLength)
        fields.append({"Content-Length", decimal(length, head.contentLength)});
    else if (head.framing == Http1Framing::Chunked)
        fields.append({"Transfer-Encoding", "chunked"});
    QVarLengthArray<char, 256> target;   // the endpoint's path prefix, then the request's path
    target.append(m_target->pathPrefix.constData(), m_target->pathPrefix.size());
    target.append(m_upstreamPath.constData(), m_upstreamPath.size());
    QByteArray &out = m_worker->scratchBuffer();
    if (!Http1Writer::appendRequestHead(out, head.methodName, {target.constData(), target.size()},
                                        HttpVersion::Http11,
                                        {fields.constData(), size_t(fields.size())})) {
        releaseUpstream(false);
        respondError({400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"),
                      QStringLiteral("The request cannot be forwarded as HTTP/1.1")},
                     true);
        return;
    }
    m_upstream->write(out);
}

void DownstreamConnection::onRequestBody(QByteArrayView data)
{
    if (!m_upstream)
        return;   // answered already; the body is discarded until the connection closes
    m_requestBodyStarted = true;
    if (m_requestChunked) {
        QByteArray chunk;
        Http1Writer::appendChunkHeader(chunk, data.size());
        m_upstream->write(chunk);
        m_upstream->write(data);
        m_upstream->write("\r\n");
    } else {
        m_upstream->write(data);
    }
    // A large body leaves as it comes; a small one with the head, when the pass ends.
    if (m_upstream->bytesToWrite() >= kStreamFlush)
        m_upstream->flush();
}

void DownstreamConnection::onRequestComplete()
{
    m_requestComplete = true;
    if (m_state == State::Closing)
        return;
    if (m_upstream && m_requestChunked) {
        QByteArray last;
        if (!Http1Writer::appendLastChunk(last, m_parser.trailers().fields())) {
            last.clear();
            (void)Http1Writer::appendLastChunk(last);
        }
        m_upstream->write(last);
    }
    if (m_upstream && m_deadlineKind == Deadline::UpstreamResponse && !m_responseHeadSent)
        setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);   // sent
    if (m_state == State::Forwarding)
        m_state = State::AwaitingResponse;
}

void DownstreamConnection::respondError(const GatewayError &error, bool close,
                                        std::span<const Http1Field> fields)
{
    if (close || m_draining)
        m_keepAlive = false;
    if (m_exchangeStartNs == 0)   // refused before a complete head (malformed, too slow)
        beginExchange(m_worker->metrics().unroutedLabels(HttpMethod::Other));
    m_responseStatus = error.status;
    writeToClient(buildErrorResponse(error, m_keepAlive, fields, m_headRequest));
    m_stream->flush();
    m_responseHeadSent = true;
    if (!m_keepAlive) {
        closeAfterWrite();
        return;
    }
    // Keep-alive after an early answer is only chosen when the request has no body left to read.
    if (m_state == State::Forwarding && !m_requestComplete)
        m_state = State::AwaitingResponse;   // onRequestComplete() follows at once
    finishExchange();
}

void DownstreamConnection::writeToClient(QByteArrayView bytes)
{
    m_bytesSent += bytes.size();
    m_stream->write(bytes);
}

qint64 DownstreamConnection::pendingOutput() const
{
    return m_stream->pendingOutput();
}

void DownstreamConnection::streamWritten()
{
    if (m_upstream && pendingOutput() < kLowWater)
        m_upstream->setReadingPaused(false);
    if (m_state == State::Closing)
        lingerWhenFlushed();
}

void DownstreamConnection::lingerWhenFlushed()
{
    if (pendingOutput() != 0)
        return;
    if (!m_tls) {
        beginLinger();
        return;
    }
    // QSslSocket emits bytesWritten() once bytes are encrypted but before it moves the ciphertext
    // to its TCP socket: a half-close now would cut the answer. Look again when that is done.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (pendingOutput() == 0)
                beginLinger();
        },
        Qt::QueuedConnection);
}

void DownstreamConnection::closeAfterWrite()
{
    if (m_closed)
        return;
    recordExchange();
    if (m_upstream)
        releaseUpstream(false);
    m_state = State::Closing;
    setDeadline(Deadline::Idle, std::chrono::seconds(10));   // bounds a flush to a stalled client
    lingerWhenFlushed();
}

void DownstreamConnection::beginLinger()
{
    if (m_lingering || m_closed)
        return;
    m_lingering = true;
    // Half-close: the client reads our answer and EOF, then closes; we drain its leftovers.
    m_stream->shutdownWrite();
    setDeadline(Deadline::Idle, std::chrono::seconds(2));
    processInput();
}

void DownstreamConnection::closeNow()
{
    if (m_closed)
        return;
    m_closed = true;
    m_state = State::Closing;
    recordExchange();
    if (m_filtersRan) {
        m_chainRun.complete(m_ctx);   // cancels a suspended filter's resume handle
        m_filtersRan = false;
    }
    if (m_upstream)
        releaseUpstream(false);
    m_stream->close();
    emit finished(this);
}

void DownstreamConnection::streamClosed()
{
    // The client went away: abandon the exchange (never pool an upstream mid-response).
    closeNow();
}

// ---------------------------------------------------------------- exchange

void DownstreamConnection::beginExchange(quint32 metricLabels)
{
    if (m_exchangeStartNs != 0)
        recordExchange();   // never left unrecorded; a reset exchange counts as aborted
    m_exchangeStartNs = monotonicNs();
    m_metricLabels = metricLabels;
    m_upstreamNs = 0;
    m_responseHeadNs = 0;
    m_exchangeEndNs = 0;
    m_responseStatus = 0;
    m_bytesSent = 0;
    m_exchangeHasHead = false;
    m_worker->metrics().requestStarted();
}

void DownstreamConnection::recordExchange()
{
    if (m_exchangeStartNs == 0)
        return;
    MetricsShard &metrics = m_worker->metrics();
    const qint64 now = m_exchangeEndNs != 0 ? m_exchangeEndNs : monotonicNs();
    if (m_responseStatus != 0)
        metrics.observeServer(m_metricLabels, m_responseStatus, now - m_exchangeStartNs);
    else
        metrics.countAborted();
    // The policies' phases as the chain measured them, plus the proxy's own two.
    std::array<qint64, kPhaseCount> phaseNs{};
    if (m_filtersRan)
        phaseNs = m_ctx.phaseNs;
    phaseNs[size_t(Phase::Upstream)] += m_upstreamNs;
    if (m_responseHeadNs != 0)
        phaseNs[size_t(Phase::Respond)] += now - m_responseHeadNs;
    for (int p = 0; p < kPhaseCount; ++p) {
        if (phaseNs[size_t(p)] > 0)
            metrics.observePhase(Phase(p), phaseNs[size_t(p)]);
    }
    metrics.requestEnded();
    if (m_worker->accessLog().isEnabled())
        logExchange(now);
    m_exchangeStartNs = 0;
}

namespace {

void setBytes(QByteArray &to, QByteArrayView from)
{
    to.resize(0);   // keeps the capacity: a reused slot allocates nothing
    to.append(from);
}

} // namespace

void DownstreamConnection::logExchange(qint64 nowNs)
{
    AccessLogQueue &queue = m_worker->accessLog();
    AccessLogEntry *e = queue.slot();
    if (!e)
        return;   // the writer fell behind: counted as dropped
    e->endMs = QDateTime::currentMSecsSinceEpoch();
    e->durationUs = (nowNs - m_exchangeStartNs) / 1000;
    setBytes(e->peer, m_peerText);
    if (m_exchangeHasHead) {
        const Http1Head &head = m_parser.head();
        const QByteArrayView target = head.pathAndQuery();
        const qsizetype q = target.indexOf('?');
        setBytes(e->method, head.methodName);
        setBytes(e->path, q < 0 ? target : target.first(q));
        setBytes(e->query, q < 0 ? QByteArrayView() : target.sliced(q));
        setBytes(e->version, head.version == HttpVersion::Http10 ? "HTTP/1.0" : "HTTP/1.1");
        setBytes(e->userAgent, head.headers.value("user-agent"));
        setBytes(e->referer, head.headers.value("referer"));
    } else {
        for (QByteArray *field : {&e->method, &e->path, &e->query, &e->version, &e->userAgent, &e->referer})
            field->resize(0);
    }
    e->user.resize(0);
    if (m_filtersRan && m_ctx.principal.authenticated)
        e->user.append(m_ctx.principal.subject.toUtf8());
    e->labels = m_metricLabels;
    e->status = m_responseStatus;
    e->bytesSent = m_bytesSent;
    queue.push();
}

void DownstreamConnection::finishExchange()
{
    recordExchange();
    if (m_filtersRan) {
        m_chainRun.complete(m_ctx);
        m_filtersRan = false;
    }
    m_route = nullptr;
    m_config.reset();
    // Per exchange: a stale true would make a malformed pipelined request that follows close the
    // connection without its 400, discarding the previous answer still in the write buffer.
    m_responseHeadSent = false;
    if (!m_keepAlive) {
        closeAfterWrite();
        return;
    }
    // Skip the rest of an answered request whose body the client is still sending? Not here: an
    // early answer with a body closes (see onRequestHead), so the parser is between messages.
    m_state = State::WaitingForRequest;
    const auto &limits = m_worker->config() ? m_worker->config()->settings.limits : Limits{};
    setDeadline(Deadline::Idle, limits.idleTimeout);
    if (m_draining) {
        closeAfterWrite();
        return;
    }
    if (m_readPaused) {
        // A pipelined request waits in the kernel: readiness reports it on the next turn.
        m_readPaused = false;
        m_stream->setReadNotifications(true);
    }
    if (m_inPos < m_inEnd || m_stream->bufferedInput() > 0) {
        m_state = State::ReadingHead;
        setDeadline(Deadline::Header, limits.headerTimeout);
        processInput();
    }
}

void DownstreamConnection::releaseUpstream(bool reusable)
{
    UpstreamConnection *up = m_upstream;
    m_upstream = nullptr;
    if (!up)
        return;
    if (reusable)
        m_worker->pool().release(up);
    else
        up->abort();
}

void DownstreamConnection::failUpstream(UpstreamFailure failure)
{
    if (m_upstream) {
        UpstreamConnection *up = m_upstream;
        m_upstream = nullptr;
        up->abort();
    }
    upstreamFailed(failure, m_responseHeadSent);
}

void DownstreamConnection::armBodyTimeout()
{
    const auto &limits = m_config ? m_config->settings.limits : Limits{};
    m_bodyDeadline = Clock::now() + limits.bodyTimeout;
}

void DownstreamConnection::upstreamConnected()
{
    armBodyTimeout();   // from here on the gateway reads the body: the client's pace counts
    setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
    sendRequestHead();
    if (!m_upstream)
        return;
    const Http1Head &head = m_parser.head();
    if (head.expectContinue && !m_continueSent && !m_requestComplete) {
        m_continueSent = true;
        writeToClient("HTTP/1.1 100 Continue\r\n\r\n");
        m_stream->flush();
    }
    processInput();   // forward the body that may already be buffered
}

void DownstreamConnection::upstreamHead(const Http1Head &head)
{
    if (m_filtersRan)
        m_chainRun.responseHead(m_ctx, head.statusCode, head.headers);
    FieldArray fields;
    ValueBuffer via;
    appendResponseFields(fields, via, head.headers, m_filtersRan ? &m_ctx : nullptr, "Via");

    const HttpVersion clientVersion = m_parser.head().version;
    if (!m_requestComplete)
        m_keepAlive = false;   // the upstream answered early; the unread body would desync us
    std::array<char, 24> length;
    m_responseChunked = false;
    switch (head.framing) {
    case Http1Framing::ContentLength:
        fields.append({"Content-Length", decimal(length, head.contentLength)});
        break;
    case Http1Framing::Chunked:
    case Http1Framing::UntilClose:
        if (clientVersion == HttpVersion::Http11) {
            m_responseChunked = true;
            fields.append({"Transfer-Encoding", "chunked"});
        } else {
            m_keepAlive = false;   // HTTP/1.0 client: the body ends when we close
        }
        break;
    case Http1Framing::NoBody:
        if (const QByteArrayView cl = head.headers.value("content-length"); !cl.isNull())
            fields.append({"Content-Length", cl});   // HEAD and 304 keep the length they describe
        break;
    }
    if (!m_keepAlive)
        fields.append({"Connection", "close"});
    else if (clientVersion == HttpVersion::Http10)
        fields.append({"Connection", "keep-alive"});

    QByteArray &out = m_worker->scratchBuffer();
    if (!Http1Writer::appendResponseHead(out, head.statusCode, head.reason, clientVersion,
                                         {fields.constData(), size_t(fields.size())})) {
        failUpstream(UpstreamFailure::BadResponse);
        return;
    }
    writeToClient(out);
    m_responseHeadSent = true;
    m_responseStatus = head.statusCode;
    m_responseHeadNs = monotonicNs();
    m_upstreamNs += m_responseHeadNs - m_attemptStartNs;
    m_worker->pool().recordSuccess(m_target->id);
    setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
}

void DownstreamConnection::upstreamBody(QByteArrayView data)
{
    if (m_headRequest)
        return;
    if (m_responseChunked) {
        QByteArray chunkHead;
        Http1Writer::appendChunkHeader(chunkHead, data.size());
        writeToClient(chunkHead);
        writeToClient(data);
        writeToClient("\r\n");
    } else {
        writeToClient(data);
    }
    // A small body leaves with its head when the answer completes; a large one as it comes.
    if (pendingOutput() >= kStreamFlush)
        m_stream->flush();
    // Read timeout semantics: the deadline moves while bytes flow.
    setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
    if (m_upstream && pendingOutput() > kHighWater)
        m_upstream->setReadingPaused(true);
}

void DownstreamConnection::upstreamComplete(const Http1FieldList &trailers)
{
    if (m_responseChunked) {
        QByteArray last;
        if (!Http1Writer::appendLastChunk(last, trailers.fields())) {
            last.clear();
            (void)Http1Writer::appendLastChunk(last);
        }
        writeToClient(last);
    }
    // The answer is complete: hand it to the kernel now, in one write with its head, instead of
    // on the write notifier's next turn (a loop iteration and two epoll_ctl calls later).
    m_stream->flush();
    m_deadlineKind = Deadline::None;
    m_exchangeEndNs = monotonicNs();
    m_worker->metrics().observeClient(m_target->id, m_parser.head().method, m_responseStatus,
                                      m_exchangeEndNs - m_attemptStartNs);
    releaseUpstream(m_requestComplete);
    if (!m_requestComplete) {
        closeAfterWrite();
        return;
    }
    finishExchange();
}

void DownstreamConnection::upstreamFailed(UpstreamFailure failure, bool responseStarted)
{
    m_upstream = nullptr;   // the connection closed itself
    m_deadlineKind = Deadline::None;
    m_worker->metrics().countUpstreamFailure(int(failure));
    if (m_responseHeadNs == 0)
        m_upstreamNs += monotonicNs() - m_attemptStartNs;
    if (failure != UpstreamFailure::BadResponse)
        m_worker->pool().recordFailure(m_target->id, Clock::now());
    if (responseStarted || m_responseHeadSent) {
        closeNow();   // mid-body: closing is the only way HTTP/1.1 can tell the client
        return;
    }
    const HttpMethod method = m_parser.head().method;
    const bool connectFailure = failure == UpstreamFailure::ConnectFailed
                                || failure == UpstreamFailure::ConnectTimeout;
    // Nothing reached the upstream when connecting failed: any method may go elsewhere. Once the
    // request was sent, only idempotent requests without a body are retried (it may have run).
    const bool safe = connectFailure || (isIdempotent(method) && !m_requestBodyStarted);
    const int maxAttempts = int(m_route->upstreams.size()) + m_worker->pool().settings().maxRetries;
    if (safe && m_attempts < maxAttempts && failure != UpstreamFailure::Timeout) {
        m_endpointIndex = (m_endpointIndex + 1) % int(m_route->upstreams.size());
        // A complete request stays out of Forwarding: parseLoop() would otherwise read the next
        // pipelined request into this exchange while its retry is still waiting.
        m_state = m_requestComplete ? State::AwaitingResponse : State::Forwarding;
        if (startUpstream())
            return;
        return;   // startUpstream() answered 503
    }
    respondError(upstreamError(failure), !m_requestComplete);
}

void DownstreamConnection::upstreamDrained()
{
    if (m_state == State::Forwarding) {
        armBodyTimeout();   // reading resumes after backpressure
        if (m_deadlineKind == Deadline::UpstreamResponse && !m_responseHeadSent)
            setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);   // it reads
        processInput();
    }
}

} // namespace Gatehouse
