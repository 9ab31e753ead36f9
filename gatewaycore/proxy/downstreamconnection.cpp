// One client connection speaking HTTP/1.1: parse, route, forward with backpressure, answer errors.
#include "downstreamconnection.h"

#include "forwarding.h"
#include "worker.h"

#include "http/http1writer.h"

#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <utility>


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
      m_tls(tls)
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
    cancelGrpcWebUpstream();
    recordExchange();   // cut at the drain deadline
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
    // Between exchanges the state (with the read buffer) holds nothing the next request needs.
    if (m_perRequest && m_inPos == m_inEnd && m_perRequest->parser.isIdle()
        && !m_perRequest->exchange.isRecording() && !m_perRequest->exchange.filtersSuspended()
        && !m_perRequest->exchange.upstream()) {
        m_inPos = m_inEnd = 0;
        m_worker->exchangePool().release(std::move(m_perRequest));
    }
    m_stream->releaseBuffers();
}

void DownstreamConnection::acquireState()
{
    m_perRequest = m_worker->exchangePool().acquire(this);
}

void DownstreamConnection::tick(Clock::time_point now)
{
    if (m_closed)
        return;
    // limits.bodyTimeout: the request body stopped flowing while the gateway was ready to read
    // it (waits caused by the upstream or by backpressure do not count).
    const bool collecting = m_requestBuffer.isActive() && !m_requestBuffered;
    if (m_state == State::Forwarding && !m_requestComplete && !m_responseHeadSent && now >= m_bodyDeadline
        && (collecting
            || (exchange().upstream() && exchange().upstream()->isConnected()
                && exchange().upstream()->bytesToWrite() <= kHighWater)
            || (m_grpcWebCall && !grpcWebReadingStalled()))) {
        respondError({408, GatewayErrorCode::RequestTimeout, QStringLiteral("Request timeout"),
                      QStringLiteral("The request body stopped arriving")},
                     true);
        return;
    }
    if ((m_grpcDeadline || m_grpcWebCall) && tickGrpcWeb(now))
        return;
    if (m_deadlineKind == Deadline::None || now < m_deadline)
        return;
    if (m_grpcWebCall && (m_deadlineKind == Deadline::UpstreamConnect || m_deadlineKind == Deadline::UpstreamResponse))
        return;   // an HTTP/2 upstream stream: tickGrpcWeb() keeps its deadlines
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
        if (exchange().filtersSuspended()) {
            exchange().completeFilters();
            respondError(policyTimeoutError(), m_closeOnEarlyAnswer);
        }
        return;
    case Deadline::UpstreamConnect:
        failUpstream(UpstreamFailure::ConnectTimeout);
        return;
    case Deadline::UpstreamResponse:
        if (m_state == State::Forwarding && !m_requestComplete && !m_responseHeadSent
            && exchange().upstream() && exchange().upstream()->bytesToWrite() <= kHighWater) {
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
    if (UpstreamConnection *upstream = exchange().upstream())
        upstream->flush();
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
        UpstreamConnection *upstream = exchange().upstream();
        if (m_state == State::Forwarding && upstream && upstream->bytesToWrite() > kHighWater)
            upstream->flush();   // what the kernel refuses now is the backpressure
        const bool collecting = m_requestBuffer.isActive() && !m_requestBuffered;   // no upstream yet
        if (m_state == State::Forwarding && !collecting && m_grpcWebCall) {
            if (grpcWebReadingStalled())
                return;   // resumed as the upstream stream takes the body (h2UpstreamRequestBody)
        } else if (m_state == State::Forwarding && !collecting
                   && (!upstream || !upstream->isConnected() || upstream->bytesToWrite() > kHighWater)) {
            return;   // backpressure: resume from upstreamConnected() / upstreamDrained()
        }
        // The parser is asked first even without new bytes: a bodyless request is complete right
        // after its head, and that event comes from a call with nothing left to offer.
        const Http1Step step = parser().next({readBuffer().constData() + m_inPos, m_inEnd - m_inPos});
        m_inPos += step.consumed;
        switch (step.event) {
        case Http1Event::NeedData: {
            if (m_sniffing) {
                if (!sniffProtocol())
                    return;
                break;
            }
            if (readBuffer().size() < kFirstReadChunk)
                readBuffer().resize(kFirstReadChunk);   // then reads reuse it, with no resize per read
            m_inPos = 0;
            const qint64 chunk = readBuffer().size();
            const qint64 n = m_stream->read(readBuffer().data(), chunk);
            m_inEnd = n > 0 ? n : 0;
            // A short read emptied the kernel's queue: no need to come back before readiness.
            m_readDrained = n < chunk;
            if (n == chunk && chunk < kReadChunk)
                readBuffer().resize(kReadChunk);   // more is coming: larger reads from the next one on
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
                // A request starts: it is parsed with the limits of the config in force now.
                parser().setLimits(m_worker->requestLimits());
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
            if (!parser().resume())
                closeAfterWrite();
            break;
        case Http1Event::Error: {
            const Http1Failure &f = parser().error();
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
            exchange().releaseUpstream(false);
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
    const Http1Head &head = parser().head();
    if (head.upgrade && upgradeToHttp2())
        return;   // h2c: the request goes on as stream 1 of an HTTP/2 connection
    beginExchange(head.method);
    m_exchangeHasHead = true;
    exchange().beginTrace(clientRequest());
    noteGrpcWebRequest();
    m_requestComplete = false;
    m_requestBodyStarted = false;
    m_responseHeadSent = false;
    m_continueSent = false;
    m_requestBuffer.reset();
    m_requestBuffered = false;
    m_responseBuffer.reset();
    heldHead().clear();
    m_headRequest = head.method == HttpMethod::Head;
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

    QByteArray allow;
    if (const auto refusal = exchange().route(head.methodName, head.pathAndQuery(), allow)) {
        const Http1Field allowField[] = {{"Allow", allow}};
        respondError(*refusal, closeOnError,
                     allow.isEmpty() ? std::span<const Http1Field>() : std::span<const Http1Field>(allowField));
        return;
    }
    m_closeOnEarlyAnswer = closeOnError;
    m_requestChunked = head.framing == Http1Framing::Chunked;
    if (const FilterChain *chain = exchange().chain()) {
        runFilters(chain);
        return;
    }
    afterFilters(FilterStatus::Continue);   // no chain: straight on (a transcoded call reads its body first)
}

void DownstreamConnection::runFilters(const FilterChain *chain)
{
    afterFilters(exchange().startFilters(chain, clientRequest(), clientView()));
}

void DownstreamConnection::afterFilters(FilterStatus status)
{
    switch (status) {
    case FilterStatus::Continue:
        // A transcoded call's JSON is read whole (bounded); gRPC messages stream end to end.
        if (exchange().route()->transcode) {
            bufferRequestBody(transcodeLimit());
            return;
        }
        if (const qint64 limit = exchange().requestBodyLimit(); limit > 0 && exchange().route()->kind != RouteKind::Grpc) {
            bufferRequestBody(limit);
            return;
        }
        exchange().prepareUpstream();
        startUpstream();
        return;
    case FilterStatus::Respond:
        answerFilters();
        return;
    case FilterStatus::Suspend:
        // Reading stops (parseLoop waits while Forwarding without an upstream) until the filter
        // resumes; the request timeout bounds the wait.
        setDeadline(Deadline::Filter, m_worker->pool().settings().requestTimeout);
        return;
    }
}

void DownstreamConnection::answerFilters()
{
    exchange().countRefusal();
    const RequestContext &ctx = exchange().context();
    QVarLengthArray<Http1Field, 8> fields;
    for (const OwnedField &f : std::as_const(ctx.responseHeaders))
        fields.append({f.name, f.value});
    respondError(ctx.error, m_closeOnEarlyAnswer && !m_requestComplete, {fields.constData(), size_t(fields.size())});
}

// The chain reads the request body: it is collected here (the parser keeps reading while
// Forwarding without an upstream), then the hooks run and the upstream is called.
void DownstreamConnection::bufferRequestBody(qint64 limit)
{
    const Http1Head &head = parser().head();
    if (head.framing == Http1Framing::ContentLength && head.contentLength > limit) {
        respondError(requestTooLargeError(limit), true);
        return;
    }
    m_requestBuffer.start(limit);
    armBodyTimeout();
    if (head.expectContinue && !m_continueSent && !m_requestComplete) {
        m_continueSent = true;
        writeToClient("HTTP/1.1 100 Continue\r\n\r\n");
        m_stream->flush();
    }
    if (m_requestComplete)
        requestBodyBuffered();
}

void DownstreamConnection::requestBodyBuffered()
{
    m_requestBuffered = true;
    if (exchange().requestBody(m_requestBuffer.bytes()) != FilterStatus::Continue) {
        answerFilters();
        return;
    }
    if (m_state == State::Forwarding)
        m_state = State::AwaitingResponse;
    exchange().prepareUpstream();
    startUpstream();
}

void DownstreamConnection::resumeFilterChain(bool rerunCurrent, FilterStatus status)
{
    if (m_closed || !exchange().filtersSuspended())
        return;
    m_deadlineKind = Deadline::None;
    afterFilters(exchange().resumeFilters(rerunCurrent, status));
    if (!m_closed)
        processInput();   // the body (if any) flows again; the upstream head leaves
}

bool DownstreamConnection::startUpstream()
{
    if (exchange().route()->transcode)
        return startTranscodedUpstream();
    if (m_grpcWeb && exchange().route()->kind == RouteKind::Grpc)
        return startGrpcWebUpstream();
    if (restRouteUsesHttp2(*exchange().route()))
        return startRestH2Upstream();
    GatewayError error;
    UpstreamConnection *upstream = exchange().acquireUpstream(this, parser().head().method, error);
    if (!upstream) {
        respondError(error, !m_requestComplete);
        return false;
    }
    const UpstreamSettings &pool = m_worker->pool().settings();
    const bool connected = upstream->isConnected();
    setDeadline(connected ? Deadline::UpstreamResponse : Deadline::UpstreamConnect,
                connected ? pool.requestTimeout : pool.connectTimeout);
    return true;
}

void DownstreamConnection::sendRequestHead()
{
    const Http1Head &head = parser().head();
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    (void)exchange().appendUpstreamFields(fields, buffers, clientRequest(), clientView(), viaProtocol());
    std::array<char, 24> length;
    if (m_requestBuffered) {
        // The body the hooks left, whole: its own length (chunked framing and trailers dropped).
        if (head.framing != Http1Framing::NoBody || !m_requestBuffer.bytes().isEmpty())
            fields.append({"Content-Length", decimal(length, m_requestBuffer.bytes().size())});
    } else if (head.framing == Http1Framing::ContentLength) {
        fields.append({"Content-Length", decimal(length, head.contentLength)});
    } else if (head.framing == Http1Framing::Chunked) {
        fields.append({"Transfer-Encoding", "chunked"});
    }
    QVarLengthArray<char, 256> target;
    exchange().appendUpstreamTarget(target);
    QByteArray &out = m_worker->scratchBuffer();
    // The client's fields were checked by the parser: only those policies set are checked here.
    if (!Http1Writer::appendRequestHead(out, head.methodName, {target.constData(), target.size()},
                                        HttpVersion::Http11, {fields.constData(), size_t(fields.size())},
                                        {buffers.policyFieldsBegin, buffers.policyFieldsEnd})) {
        exchange().releaseUpstream(false);
        respondError({400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"),
                      QStringLiteral("The request cannot be forwarded as HTTP/1.1")},
                     true);
        return;
    }
    exchange().upstream()->write(out);
}

void DownstreamConnection::onRequestBody(QByteArrayView data)
{
    exchange().captureRequestBody(data);
    if (m_grpcWebCall && !m_transcode) {
        grpcWebRequestBody(data);
        return;
    }
    if (m_requestBuffer.isActive() && !m_requestBuffered) {
        if (!m_requestBuffer.append(data))
            respondError(requestTooLargeError(m_requestBuffer.limit()), true);
        return;
    }
    UpstreamConnection *upstream = exchange().upstream();
    if (!upstream)
        return;   // answered already; the body is discarded until the connection closes
    m_requestBodyStarted = true;
    if (m_requestChunked) {
        QByteArray chunk;
        Http1Writer::appendChunkHeader(chunk, data.size());
        upstream->write(chunk);
        upstream->write(data);
        upstream->write("\r\n");
    } else {
        upstream->write(data);
    }
    // A large body leaves as it comes; a small one with the head, when the pass ends.
    if (upstream->bytesToWrite() >= kStreamFlush)
        upstream->flush();
}

void DownstreamConnection::onRequestComplete()
{
    m_requestComplete = true;
    exchange().captureRequestComplete();
    exchange().requestSent();
    if (m_state == State::Closing)
        return;
    if (m_grpcWebCall && !m_transcode) {
        if (m_state == State::Forwarding)
            m_state = State::AwaitingResponse;
        grpcWebRequestComplete();
        return;
    }
    if (m_requestBuffer.isActive() && !m_requestBuffered) {
        requestBodyBuffered();
        return;
    }
    UpstreamConnection *upstream = exchange().upstream();
    if (upstream && m_requestChunked) {
        QByteArray last;
        if (!Http1Writer::appendLastChunk(last, parser().trailers().fields())) {
            last.clear();
            (void)Http1Writer::appendLastChunk(last);
        }
        upstream->write(last);
    }
    if (upstream && m_deadlineKind == Deadline::UpstreamResponse && !m_responseHeadSent)
        setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);   // sent
    if (m_state == State::Forwarding)
        m_state = State::AwaitingResponse;
}

void DownstreamConnection::respondError(const GatewayError &error, bool close,
                                        std::span<const Http1Field> fields)
{
    if (answersAsGrpcWeb()) {
        respondGrpcWeb(error, close, fields);
        return;
    }
    cancelGrpcWebUpstream();   // a transcoded call's stream, if one is open
    if (close || m_draining)
        m_keepAlive = false;
    if (!exchange().isRecording())   // refused before a complete head (malformed, too slow)
        beginExchange(HttpMethod::Other);
    exchange().gatewayAnswered(error);
    if (const QByteArrayView timing = exchange().serverTiming(); !timing.isEmpty()) {
        QVarLengthArray<Http1Field, 8> withTiming(fields.begin(), fields.end());
        withTiming.append({"Server-Timing", timing});
        writeToClient(buildErrorResponse(error, m_keepAlive, {withTiming.constData(), size_t(withTiming.size())},
                                         m_headRequest));
    } else {
        writeToClient(buildErrorResponse(error, m_keepAlive, fields, m_headRequest));
    }
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
    exchange().addBytesSent(bytes.size());
    m_stream->write(bytes);
}

qint64 DownstreamConnection::pendingOutput() const
{
    return m_stream->pendingOutput();
}

void DownstreamConnection::streamWritten()
{
    if (m_h2Unconsumed > 0 && pendingOutput() < kLowWater)
        giveBackGrpcWebBytes();
    if (exchange().upstream() && pendingOutput() < kLowWater)
        exchange().upstream()->setReadingPaused(false);
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
    if (m_perRequest)
        m_perRequest->exchange.releaseUpstream(false);
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
    cancelGrpcWebUpstream();
    // The state stays until the connection is deleted: callers up the stack may still hold
    // references into it (the pool gets states back only from parked connections, at a tick).
    if (m_perRequest)
        m_perRequest->exchange.end();   // cancels a suspended filter's resume handle, aborts the upstream
    m_stream->close();
    emit finished(this);
}

void DownstreamConnection::streamClosed()
{
    // The client went away: abandon the exchange (never pool an upstream mid-response).
    closeNow();
}

// ---------------------------------------------------------------- exchange

void DownstreamConnection::beginExchange(HttpMethod method)
{
    exchange().begin(method);
    m_exchangeHasHead = false;
}

void DownstreamConnection::recordExchange()
{
    if (!m_perRequest || !m_perRequest->exchange.isRecording())
        return;
    const ClientRequest request = clientRequest();
    exchange().record(m_exchangeHasHead ? &request : nullptr, m_peerText);
}

ClientRequest DownstreamConnection::clientRequest() const
{
    const Http1Head &head = parser().head();
    return {head.methodName,
            head.method,
            head.pathAndQuery(),
            head.host,
            head.version == HttpVersion::Http10 ? QByteArrayView("HTTP/1.0") : QByteArrayView("HTTP/1.1"),
            &head.headers};
}

void DownstreamConnection::finishExchange()
{
    recordExchange();
    exchange().end();
    resetGrpcWeb();
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

void DownstreamConnection::failUpstream(UpstreamFailure failure)
{
    exchange().releaseUpstream(false);
    upstreamFailed(failure, m_responseHeadSent);
}

void DownstreamConnection::armBodyTimeout()
{
    m_bodyDeadline = Clock::now() + exchange().limits().bodyTimeout;
}

void DownstreamConnection::upstreamConnected()
{
    armBodyTimeout();   // from here on the gateway reads the body: the client's pace counts
    setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
    sendRequestHead();
    if (!exchange().upstream())
        return;
    if (m_requestBuffered) {
        if (!m_requestBuffer.bytes().isEmpty()) {
            m_requestBodyStarted = true;
            exchange().upstream()->write(m_requestBuffer.bytes());
        }
        exchange().upstream()->flush();
        return;
    }
    const Http1Head &head = parser().head();
    if (head.expectContinue && !m_continueSent && !m_requestComplete) {
        m_continueSent = true;
        writeToClient("HTTP/1.1 100 Continue\r\n\r\n");
        m_stream->flush();
    }
    processInput();   // forward the body that may already be buffered
}

void DownstreamConnection::upstreamHead(const Http1Head &head)
{
    // A 304 a cache asked for is held for HEAD as for GET (it has no body either way).
    const bool held = (!m_headRequest && statusHasBody(head.statusCode) && head.framing != Http1Framing::NoBody)
                      || exchange().holdsNotModified(head.statusCode);
    if (const qint64 limit = exchange().responseBodyLimit(); limit > 0 && held) {
        const bool fits = head.framing != Http1Framing::ContentLength || head.contentLength <= limit;
        if (!fits && !exchange().responseBodyOptional()) {
            tooLargeResponse(limit);
            return;
        }
        if (fits) {
            m_responseBuffer.start(limit);
            heldHead().hold(head.statusCode, head.reason, head.headers, head.framing);
            exchange().upstreamResponded(head.statusCode);
            setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
            return;
        }
    }
    exchange().responseHead(head.statusCode, head.headers);
    if (!writeResponseHead(head.statusCode, head.reason, head.headers, head.framing, head.contentLength)) {
        failUpstream(UpstreamFailure::BadResponse);
        return;
    }
    exchange().upstreamResponded(head.statusCode);
    setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
}

bool DownstreamConnection::writeResponseHead(int status, QByteArrayView reason, const Http1FieldList &upstreamFields,
                                             Http1Framing framing, qint64 contentLength)
{
    FieldArray fields;
    ValueBuffer via;
    Http1Writer::FieldRange edited;
    appendResponseFields(fields, via, upstreamFields, exchange().edits(), "Via", &edited);
    if (const QByteArrayView timing = exchange().serverTiming(); !timing.isEmpty())
        fields.append({"Server-Timing", timing});

    const HttpVersion clientVersion = parser().head().version;
    if (!m_requestComplete)
        m_keepAlive = false;   // the upstream answered early; the unread body would desync us
    std::array<char, 24> length;
    m_responseChunked = false;
    switch (framing) {
    case Http1Framing::ContentLength:
        fields.append({"Content-Length", decimal(length, contentLength)});
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
        if (const QByteArrayView cl = upstreamFields.value("content-length"); !cl.isNull())
            fields.append({"Content-Length", cl});   // HEAD and 304 keep the length they describe
        break;
    }
    if (!m_keepAlive)
        fields.append({"Connection", "close"});
    else if (clientVersion == HttpVersion::Http10)
        fields.append({"Connection", "keep-alive"});

    QByteArray &out = m_worker->scratchBuffer();
    // The upstream's fields were checked by the parser: only those policies set are checked here.
    if (!Http1Writer::appendResponseHead(out, status, reason, clientVersion,
                                         {fields.constData(), size_t(fields.size())}, edited))
        return false;
    writeToClient(out);
    m_responseHeadSent = true;
    return true;
}

// A response larger than the chain's body policies read: the client gets 502, the upstream
// connection (mid-response) is closed.
void DownstreamConnection::tooLargeResponse(qint64 limit)
{
    exchange().releaseUpstream(false);
    m_responseBuffer.reset();
    respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                  QStringLiteral("The upstream's response exceeds the %1 bytes this operation's policies read").arg(limit)},
                 !m_requestComplete);
}

bool DownstreamConnection::streamHeldResponse()
{
    exchange().responseHead(heldHead().status, heldHead().fields);
    if (!writeResponseHead(heldHead().status, heldHead().reason, heldHead().fields, heldHead().framing, -1)) {
        // Only a policy's field can be invalid here: 502 with no other attempt, which would fail
        // the same way (upstreamFailed() answers a held response that way and lets it go). An
        // HTTP/2 upstream's stream is cancelled first, so that nothing else is opened beside it.
        cancelGrpcWebUpstream();
        failUpstream(UpstreamFailure::BadResponse);
        return false;
    }
    const QByteArray held = std::exchange(m_responseBuffer.bytes(), QByteArray());
    m_responseBuffer.reset();
    heldHead().clear();
    if (!held.isEmpty())
        upstreamBody(held);
    return true;
}

// The held response is complete: the hooks run on it, then it leaves with its final length.
void DownstreamConnection::respondHeld()
{
    QByteArray &body = m_responseBuffer.bytes();
    if (exchange().response(heldHead().status, heldHead().fields, body) != FilterStatus::Continue) {
        const RequestContext &ctx = exchange().context();
        QVarLengthArray<Http1Field, 8> fields;
        for (const OwnedField &f : std::as_const(ctx.responseHeaders))
            fields.append({f.name, f.value});
        respondError(ctx.error, !m_requestComplete, {fields.constData(), size_t(fields.size())});
        return;
    }
    // A held 304 (a cache's revalidation it let through) keeps the length it describes.
    const Http1Framing framing = statusHasBody(heldHead().status) ? Http1Framing::ContentLength : Http1Framing::NoBody;
    if (!writeResponseHead(heldHead().status, heldHead().reason, heldHead().fields, framing, body.size())) {
        respondError(upstreamError(UpstreamFailure::BadResponse), !m_requestComplete);
        return;
    }
    exchange().captureResponseBody(body);
    writeToClient(body);
    m_stream->flush();
    m_responseBuffer.reset();
    heldHead().clear();
    if (!m_requestComplete) {
        closeAfterWrite();
        return;
    }
    finishExchange();
}

void DownstreamConnection::upstreamBody(QByteArrayView data)
{
    if (m_headRequest)
        return;
    if (m_responseBuffer.isActive()) {
        if (m_responseBuffer.append(data)) {
            setDeadline(Deadline::UpstreamResponse, m_worker->pool().settings().requestTimeout);
            return;
        }
        if (!exchange().responseBodyOptional()) {
            tooLargeResponse(m_responseBuffer.limit());
            return;
        }
        if (!streamHeldResponse())
            return;
    }
    exchange().captureResponseBody(data);
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
    if (exchange().upstream() && pendingOutput() > kHighWater)
        exchange().upstream()->setReadingPaused(true);
}

void DownstreamConnection::upstreamComplete(const Http1FieldList &trailers)
{
    if (m_responseBuffer.isActive()) {
        m_deadlineKind = Deadline::None;
        exchange().upstreamCompleted(parser().head().method);
        exchange().releaseUpstream(m_requestComplete);
        respondHeld();   // trailers are not kept for a held response
        return;
    }
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
    exchange().upstreamCompleted(parser().head().method);
    exchange().releaseUpstream(m_requestComplete);
    if (!m_requestComplete) {
        closeAfterWrite();
        return;
    }
    finishExchange();
}

void DownstreamConnection::upstreamFailed(UpstreamFailure failure, bool responseStarted)
{
    exchange().forgetUpstream();   // the connection closed itself
    m_deadlineKind = Deadline::None;
    exchange().attemptFailed(failure);
    if (m_responseBuffer.isActive() && !m_responseHeadSent) {
        // A held response broke off: the client has seen nothing of it yet and gets 502.
        m_responseBuffer.reset();
        heldHead().clear();
        respondError(upstreamError(failure), !m_requestComplete);
        return;
    }
    if (responseStarted || m_responseHeadSent) {
        closeNow();   // mid-body: closing is the only way HTTP/1.1 can tell the client
        return;
    }
    if (exchange().mayRetry(failure, parser().head().method, m_requestBodyStarted)) {
        // A complete request stays out of Forwarding: parseLoop() would otherwise read the next
        // pipelined request into this exchange while its retry is still waiting.
        m_state = m_requestComplete ? State::AwaitingResponse : State::Forwarding;
        startUpstream();   // answers 503 itself when no endpoint is left
        return;
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
