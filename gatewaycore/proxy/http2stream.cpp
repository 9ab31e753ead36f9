// One HTTP/2 stream as a proxy exchange: route, filters, upstream attempts, deadlines, and the
// response back as HTTP/2 (the request side is in http2streamrequest.cpp).
#include "http2stream.h"

#include "forwarding.h"
#include "http2connection.h"
#include "worker.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace Gatehouse {

namespace {

constexpr qint64 kResponseBuffer = 64 * 1024;  // response bytes held per stream before pausing
constexpr qsizetype kKeptBuffer = 16 * 1024;    // buffer capacity a reused stream keeps

// Emptied; its capacity kept for the next stream unless it grew large.
void emptyBuffer(QByteArray &buffer)
{
    if (buffer.capacity() > kKeptBuffer)
        buffer = QByteArray();
    else
        buffer.resize(0);
}

} // namespace

Http2Stream::Http2Stream(Http2Connection *connection, qint32 id)
    : m_connection(connection), m_id(id), m_exchange(connection->worker(), this)
{
}

Http2Stream::~Http2Stream()
{
    closed();
}

void Http2Stream::reuse(Http2Connection *connection, qint32 id)
{
    closed();   // (done already when the connection gave it back)
    m_connection = connection;
    m_id = id;
    m_requestFields.clear();
    m_requestTrailers.clear();
    m_headers.clear();
    m_trailers.clear();
    m_method = {};
    m_pathAndQuery = {};
    m_authority = {};
    m_methodKind = HttpMethod::Other;
    m_declaredLength = -1;
    m_receivedBytes = 0;
    m_headersDone = false;
    m_inTrailers = false;
    m_requestEnded = false;
    m_requestChunked = false;
    m_requestTerminated = false;
    m_discardBody = false;
    emptyBuffer(m_pendingBody);
    m_pendingPos = 0;
    m_pendingAcked = 0;
    m_replayable = false;
    m_lastData = {};
    // m_exchange: end() ran in closed(); begin() starts the next one.
    m_requestBodyStarted = false;
    m_deadlineKind = Deadline::None;
    m_deadline = {};
    m_responseHeadSent = false;
    m_responseComplete = false;
    m_upstreamPaused = false;
    m_headRequest = false;
    emptyBuffer(m_out);
    m_outPos = 0;
    m_responseTrailers.clear();
    m_closed = false;
    m_grpc = false;
    m_grpcDeadline.reset();
    m_h2Upstream = nullptr;
    m_h2Stream = -1;
    m_h2Unconsumed = 0;
    m_h2FailureCode = 0;
    m_h2Rest = false;
    m_grpcWeb.reset();
    m_webUnacked = 0;
    m_transcode = nullptr;
    m_transcodeRequest = QByteArray();
    m_transcodeBody = QByteArray();
    m_transcodeGrpcStatus = QByteArray();
    m_transcodeGrpcMessage = QByteArray();
    m_transcodeHttpStatus = 0;
    m_requestBuffer.reset();
    m_requestBuffered = false;
    m_responseBuffer.reset();
    m_heldHead.clear();
}

void Http2Stream::closed()
{
    if (m_closed)
        return;
    m_closed = true;
    cancelGrpcUpstream(Http2ServerSession::kCancel);   // the client reset or went away
    const ClientRequest request = clientRequest();
    m_exchange.record(&request, m_connection->peerText());
    m_exchange.end();
}

void Http2Stream::route()
{
    QByteArray allow;
    if (const auto refusal = m_exchange.route(m_method, m_pathAndQuery, allow)) {
        const Http1Field allowField[] = {{"allow", allow}};
        respondError(*refusal,
                     allow.isEmpty() ? std::span<const Http1Field>() : std::span<const Http1Field>(allowField));
        return;
    }
    if (m_grpcWeb && m_exchange.route()->kind != RouteKind::Grpc) {
        m_grpcWeb.reset();   // a REST route that happens to get this content type stays REST
        m_grpc = false;
    }
    if (const FilterChain *chain = m_exchange.chain()) {
        afterFilters(m_exchange.startFilters(chain, clientRequest(), clientView()));
        return;
    }
    afterFilters(FilterStatus::Continue);   // no chain: straight on (a transcoded call reads its body first)
}

ClientRequest Http2Stream::clientRequest() const
{
    return {m_method, m_methodKind, m_pathAndQuery, m_authority, "HTTP/2", &m_headers};
}

ClientView Http2Stream::clientView() const
{
    return {&m_connection->peer(), m_connection->peerText(), m_connection->isTls(),
            m_connection->byteStream()};
}

void Http2Stream::afterFilters(FilterStatus status)
{
    switch (status) {
    case FilterStatus::Continue:
        // A transcoded call's JSON is read whole (bounded); gRPC messages stream end to end.
        if (m_exchange.route()->transcode) {
            bufferRequestBody(transcodeLimit());
            return;
        }
        if (const qint64 limit = m_exchange.requestBodyLimit(); limit > 0 && m_exchange.route()->kind != RouteKind::Grpc) {
            bufferRequestBody(limit);
            return;
        }
        m_exchange.prepareUpstream();
        startUpstream();
        return;
    case FilterStatus::Respond:
        m_exchange.countRefusal();
        respondError(m_exchange.context().error);
        return;
    case FilterStatus::Suspend:
        setDeadline(Deadline::Filter, m_connection->worker()->pool().settings().requestTimeout);
        return;
    }
}

// The chain reads the request body: DATA is acknowledged as it is collected (the limit, not the
// upstream, bounds it), then the hooks run and the upstream is called.
void Http2Stream::bufferRequestBody(qint64 limit)
{
    if (m_declaredLength > limit) {
        respondError(requestTooLargeError(limit));
        return;
    }
    m_requestBuffer.start(limit);
    // While the body arrives, tick() holds the client to limits.bodyTimeout between DATA frames.
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    if (!m_pendingBody.isEmpty()) {
        const qint64 n = m_pendingBody.size();
        const bool fits = m_requestBuffer.append(m_pendingBody);
        m_pendingBody = QByteArray();
        m_connection->session().consume(m_id, n);
        m_connection->requestSend();
        if (!fits) {
            respondError(requestTooLargeError(limit));
            return;
        }
    }
    if (m_requestEnded)
        requestBodyBuffered();
}

void Http2Stream::requestBodyBuffered()
{
    m_requestBuffered = true;
    if (m_exchange.requestBody(m_requestBuffer.bytes()) != FilterStatus::Continue) {
        m_exchange.countRefusal();
        respondError(m_exchange.context().error);
        return;
    }
    m_exchange.prepareUpstream();
    startUpstream();
}

void Http2Stream::resumeFilterChain(bool rerunCurrent, FilterStatus status)
{
    if (m_closed || !m_exchange.filtersSuspended())
        return;
    m_deadlineKind = Deadline::None;
    afterFilters(m_exchange.resumeFilters(rerunCurrent, status));
    m_connection->requestSend();
}

bool Http2Stream::startUpstream()
{
    if (m_exchange.route()->transcode)
        return startTranscodedUpstream();
    if (m_exchange.route()->kind == RouteKind::Grpc)
        return startGrpcUpstream();
    if (restRouteUsesHttp2(*m_exchange.route()))
        return startRestH2Upstream();
    GatewayError error;
    UpstreamConnection *upstream = m_exchange.acquireUpstream(this, m_methodKind, error);
    if (!upstream) {
        respondError(error);
        return false;
    }
    const UpstreamSettings &pool = m_connection->worker()->pool().settings();
    const bool connected = upstream->isConnected();
    setDeadline(connected ? Deadline::UpstreamResponse : Deadline::UpstreamConnect,
                connected ? pool.requestTimeout : pool.connectTimeout);
    return true;
}

// ---------------------------------------------------------------- response to the client

void Http2Stream::submitHead(int status, std::span<const Http1Field> fields, bool hasBody,
                             Http1Writer::FieldRange checked)
{
    m_exchange.upstreamResponded(status);
    m_responseHeadSent = true;
    if (!m_connection->session().submitResponse(m_id, status, fields, hasBody, checked)) {
        reset(Http2ServerSession::kInternalError);
        return;
    }
    m_connection->requestSend();
}

void Http2Stream::respondError(const GatewayError &error, std::span<const Http1Field> extraFields)
{
    if (m_closed)
        return;
    if (m_grpc) {
        respondGrpcError(error, extraFields);
        return;
    }
    m_deadlineKind = Deadline::None;
    cancelGrpcUpstream(Http2ServerSession::kCancel);   // a transcoded call's stream, if one is open
    m_exchange.releaseUpstream(false);
    if (m_responseHeadSent) {
        reset(Http2ServerSession::kInternalError);   // mid-body: the stream is cut
        return;
    }
    m_exchange.gatewayAnswered(error);
    // Request bytes that still arrive are acknowledged and dropped.
    m_discardBody = true;
    dropPendingBody();
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
    if (const QByteArrayView timing = m_exchange.serverTiming(); !timing.isEmpty())
        fields.append({"server-timing", timing});
    if (const RequestContext *edits = m_exchange.edits()) {
        for (const OwnedField &f : std::as_const(edits->responseHeaders))
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
    m_exchange.completeFilters();
    m_connection->requestSend();
}

qint64 Http2Stream::readBody(std::span<char> buffer, bool &end)
{
    const qsizetype available = m_out.size() - m_outPos;
    const qsizetype n = std::min<qsizetype>(available, qsizetype(buffer.size()));
    if (n > 0) {
        std::memcpy(buffer.data(), m_out.constData() + m_outPos, size_t(n));
        m_outPos += n;
        m_exchange.addBytesSent(n);
        giveBackUpstreamBytes(n);   // HTTP/2 upstream: it may send that much more
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
            // From the upstream's parser or session, which checked them, or built by the gateway.
            if (!trailers.isEmpty())
                m_connection->session().submitTrailers(m_id, trailers.fields(), {0, 0});
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
    } else if (m_outPos >= 64 * 1024 && m_outPos * 2 >= m_out.size()) {
        // An upstream that refills as fast as the client reads never lets m_out drain: what was
        // sent goes now, else the buffer would grow by the whole body.
        m_out.remove(0, m_outPos);
        m_outPos = 0;
    }
    m_out.append(bytes.data(), bytes.size());
    m_connection->session().resumeData(m_id);
    m_connection->requestSend();
}

void Http2Stream::resumeUpstreamReading()
{
    if (m_upstreamPaused && m_exchange.upstream() && m_out.size() - m_outPos < kResponseBuffer) {
        m_upstreamPaused = false;
        m_exchange.upstream()->setReadingPaused(false);
    }
}

// ---------------------------------------------------------------- upstream

void Http2Stream::upstreamConnected()
{
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    if (!sendRequestHead())
        return;
    pumpRequestBody();
    if (UpstreamConnection *upstream = m_exchange.upstream())
        upstream->flush();
}

void Http2Stream::upstreamHead(const Http1Head &head)
{
    // A 304 a cache asked for is held for HEAD as for GET (it has no body either way).
    const bool held = (!m_headRequest && statusHasBody(head.statusCode) && head.framing != Http1Framing::NoBody)
                      || m_exchange.holdsNotModified(head.statusCode);
    if (const qint64 limit = m_exchange.responseBodyLimit(); limit > 0 && held) {
        const bool fits = head.framing != Http1Framing::ContentLength || head.contentLength <= limit;
        if (!fits && !m_exchange.responseBodyOptional()) {
            tooLargeResponse(limit);
            return;
        }
        if (fits) {
            m_responseBuffer.start(limit);
            m_heldHead.hold(head.statusCode, head.reason, head.headers, head.framing);
            m_exchange.upstreamResponded(head.statusCode);
            setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
            return;
        }
    }
    m_exchange.responseHead(head.statusCode, head.headers);
    submitResponseHead(head.statusCode, head.headers, head.framing, head.contentLength);
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
}

void Http2Stream::submitResponseHead(int status, const Http1FieldList &upstreamFields, Http1Framing framing,
                                     qint64 contentLength)
{
    FieldArray fields;
    ValueBuffer via;
    appendResponseFields(fields, via, upstreamFields, m_exchange.edits(), "via");
    if (const QByteArrayView timing = m_exchange.serverTiming(); !timing.isEmpty())
        fields.append({"server-timing", timing});
    std::array<char, 24> length;
    // A chunked body may be empty and still bring trailers: it ends through the data source.
    bool hasBody = !m_headRequest;
    switch (framing) {
    case Http1Framing::ContentLength:
        fields.append({"content-length", decimal(length, contentLength)});
        hasBody = hasBody && contentLength > 0;
        break;
    case Http1Framing::Chunked:
    case Http1Framing::UntilClose:
        break;
    case Http1Framing::NoBody:
        if (const QByteArrayView cl = upstreamFields.value("content-length"); !cl.isNull())
            fields.append({"content-length", cl});
        hasBody = false;
        break;
    }
    if (m_responseBuffer.isActive()) {   // held: upstreamResponded() was counted then
        m_responseHeadSent = true;
        if (!m_connection->session().submitResponse(m_id, status, {fields.constData(), size_t(fields.size())},
                                                    hasBody)) {
            reset(Http2ServerSession::kInternalError);
            return;
        }
        m_connection->requestSend();
        return;
    }
    submitHead(status, {fields.constData(), size_t(fields.size())}, hasBody);
}

void Http2Stream::streamHeldResponse()
{
    m_exchange.responseHead(m_heldHead.status, m_heldHead.fields);
    submitResponseHead(m_heldHead.status, m_heldHead.fields, m_heldHead.framing, -1);
    if (m_closed || !m_exchange.upstream()) {   // the head could not be sent: the stream was reset
        m_responseBuffer.reset();
        m_heldHead.clear();
        return;
    }
    const QByteArray held = std::exchange(m_responseBuffer.bytes(), QByteArray());
    m_responseBuffer.reset();
    m_heldHead.clear();
    if (!held.isEmpty())
        upstreamBody(held);
}

void Http2Stream::upstreamBody(QByteArrayView data)
{
    if (m_headRequest || m_closed)
        return;
    if (m_responseBuffer.isActive()) {
        if (m_responseBuffer.append(data)) {
            setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
            return;
        }
        if (!m_exchange.responseBodyOptional()) {
            tooLargeResponse(m_responseBuffer.limit());
            return;
        }
        streamHeldResponse();
        if (m_closed || !m_exchange.upstream())
            return;
    }
    m_exchange.captureResponseBody(data);
    appendResponseBody(data);
    setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
    if (m_exchange.upstream() && m_out.size() - m_outPos >= kResponseBuffer) {
        m_upstreamPaused = true;
        m_exchange.upstream()->setReadingPaused(true);
        m_connection->waitForOutput(m_id);
    }
}

void Http2Stream::upstreamComplete(const Http1FieldList &trailers)
{
    if (m_responseBuffer.isActive()) {
        m_exchange.upstreamCompleted(m_methodKind);
        m_deadlineKind = Deadline::None;
        m_exchange.releaseUpstream(m_requestTerminated);
        respondHeld();   // trailers are not kept for a held response
        return;
    }
    m_exchange.upstreamCompleted(m_methodKind);
    for (const Http1Field &f : trailers)
        m_responseTrailers.add(f.name, f.value);   // the upstream's parser reuses its buffer
    m_deadlineKind = Deadline::None;
    m_responseComplete = true;
    // The upstream answered before the whole request went out: that connection cannot be reused.
    m_exchange.releaseUpstream(m_requestTerminated);
    if (!m_requestEnded)
        m_discardBody = true;
    dropPendingBody();
    m_exchange.completeFilters();
    m_connection->session().resumeData(m_id);
    m_connection->requestSend();
}

void Http2Stream::upstreamFailed(UpstreamFailure failure, bool responseStarted)
{
    m_exchange.forgetUpstream();   // the connection closed itself
    m_deadlineKind = Deadline::None;
    m_exchange.attemptFailed(failure);
    if (m_responseBuffer.isActive() && !m_responseHeadSent) {
        // A held response broke off: the client has seen nothing of it yet and gets 502.
        m_responseBuffer.reset();
        m_heldHead.clear();
        respondError(upstreamError(failure));
        return;
    }
    if (responseStarted || m_responseHeadSent) {
        reset(Http2ServerSession::kInternalError);
        return;
    }
    if (m_exchange.mayRetry(failure, m_methodKind, m_requestBodyStarted)) {
        m_requestTerminated = false;
        startUpstream();
        return;
    }
    respondError(upstreamError(failure));
}

// The held response is complete: the hooks run on it, then it leaves with its final length.
void Http2Stream::respondHeld()
{
    QByteArray &body = m_responseBuffer.bytes();
    if (m_exchange.response(m_heldHead.status, m_heldHead.fields, body) != FilterStatus::Continue) {
        respondError(m_exchange.context().error);
        return;
    }
    FieldArray fields;
    ValueBuffer via;
    appendResponseFields(fields, via, m_heldHead.fields, m_exchange.edits(), "via");
    if (const QByteArrayView timing = m_exchange.serverTiming(); !timing.isEmpty())
        fields.append({"server-timing", timing});
    std::array<char, 24> length;
    if (statusHasBody(m_heldHead.status))   // a held 304 let through keeps the length it describes
        fields.append({"content-length", decimal(length, body.size())});
    m_exchange.captureResponseBody(body);
    m_out = std::move(body);
    m_outPos = 0;
    m_responseComplete = true;
    m_responseHeadSent = true;
    const int status = m_heldHead.status;
    if (!m_connection->session().submitResponse(m_id, status, {fields.constData(), size_t(fields.size())},
                                                !m_out.isEmpty())) {
        reset(Http2ServerSession::kInternalError);
        return;
    }
    m_responseBuffer.reset();
    m_heldHead.clear();
    m_exchange.completeFilters();
    m_connection->requestSend();
}

// A response larger than the chain's body policies read: 502, the upstream connection closed.
void Http2Stream::tooLargeResponse(qint64 limit)
{
    m_exchange.releaseUpstream(false);
    m_responseBuffer.reset();
    m_heldHead.clear();
    respondError({502, GatewayErrorCode::UpstreamError, QStringLiteral("Bad gateway"),
                  QStringLiteral("The upstream's response exceeds the %1 bytes this operation's policies read").arg(limit)});
}

void Http2Stream::upstreamDrained()
{
    pumpRequestBody();
}

void Http2Stream::failUpstream(UpstreamFailure failure)
{
    m_exchange.releaseUpstream(false);
    upstreamFailed(failure, m_responseHeadSent);
}

void Http2Stream::reset(quint32 errorCode)
{
    if (m_closed)
        return;
    m_deadlineKind = Deadline::None;
    m_grpcDeadline.reset();
    cancelGrpcUpstream(Http2ServerSession::kCancel);
    m_exchange.releaseUpstream(false);
    m_exchange.completeFilters();
    m_discardBody = true;
    dropPendingBody();
    m_connection->session().resetStream(m_id, errorCode);
    m_connection->requestSend();
}

void Http2Stream::dropPendingBody()
{
    // Given back to the client's windows: it may send (and we drop) what follows.
    if (m_grpcWeb && m_grpcWeb->mode() == GrpcWebMode::Text)
        m_connection->session().consume(m_id, std::exchange(m_webUnacked, 0));   // decoded bytes differ
    else if (const qsizetype acked = std::max(m_pendingPos, m_pendingAcked);
             !m_requestBuffered && m_pendingBody.size() > acked)   // (buffered: acknowledged then)
        m_connection->session().consume(m_id, m_pendingBody.size() - acked);
    m_pendingBody = QByteArray();
    m_pendingPos = 0;
    m_pendingAcked = 0;
    m_replayable = false;
}

void Http2Stream::setDeadline(Deadline kind, std::chrono::milliseconds after)
{
    m_deadlineKind = kind;
    m_deadline = Clock::now() + after;
}

void Http2Stream::tick(Clock::time_point now)
{
    if (!m_closed && (m_grpcDeadline || (m_h2Upstream && !m_h2Rest)) && tickGrpc(now))
        return;
    if (m_closed || m_deadlineKind == Deadline::None || now < m_deadline)
        return;
    switch (m_deadlineKind) {
    case Deadline::Filter:
        if (m_exchange.filtersSuspended()) {
            m_exchange.completeFilters();
            respondError(policyTimeoutError());
        }
        return;
    case Deadline::UpstreamConnect:
        failUpstream(UpstreamFailure::ConnectTimeout);
        return;
    case Deadline::UpstreamResponse: {
        if (!m_requestEnded && !m_responseHeadSent) {
            // The request still arrives at the client's pace: bodyTimeout bounds a pause in it.
            if (now - m_lastData < m_exchange.limits().bodyTimeout) {
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
